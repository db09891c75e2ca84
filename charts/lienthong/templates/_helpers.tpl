{{/* Name of the chart. */}}
{{- define "lienthong.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name: <release>-lienthong, or the release name when it already says lienthong. */}}
{{- define "lienthong.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's Deployment and Service. Call with (list $ "registry"). */}}
{{- define "lienthong.serviceName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "lienthong.fullname" $root) (index . 1) -}}
{{- end -}}

{{- define "lienthong.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "lienthong.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: lienthong
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one service. Call with (list $ "registry"). */}}
{{- define "lienthong.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "lienthong.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "lienthong.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "lienthong.secretName" -}}
{{- default (include "lienthong.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The JWKS URL: configured, or the registry of this release. */}}
{{- define "lienthong.jwksUrl" -}}
{{- if .Values.config.jwksUrl -}}
{{- .Values.config.jwksUrl -}}
{{- else -}}
{{- printf "http://%s:%v/.well-known/jwks.json" (include "lienthong.serviceName" (list . "registry")) .Values.ports.http -}}
{{- end -}}
{{- end -}}
