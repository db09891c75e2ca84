# syntax=docker/dockerfile:1.7
# One image for every LienThong service.
#   docker build -t lienthong:dev .
#   docker run lienthong:dev serve registry      # distributed mode, one service (see docker-compose.yml)
#   docker run -p 8080:8080 lienthong:dev run --host 0.0.0.0 --sample-data   # embedded, all in one
ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------- build: the locked workspace
FROM ${PYTHON_IMAGE} AS build
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN pip install "uv>=0.5"
WORKDIR /app
# The workspace as the lock describes it. The services stay where they are in the
# repository (editable install): each finds its Alembic migrations/ beside its src/.
COPY pyproject.toml uv.lock ./
COPY libs ./libs
COPY services ./services
COPY apps ./apps
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# ---------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 lienthong \
 && useradd --system --uid 10001 --gid lienthong --home-dir /var/lib/lienthong --create-home lienthong
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LIENTHONG_DATA_DIR=/var/lib/lienthong \
    LIENTHONG_HTTP_HOST=0.0.0.0 \
    LIENTHONG_GRPC_HOST=0.0.0.0 \
    LIENTHONG_HTTP_PORT=8080 \
    LIENTHONG_GRPC_PORT=50051
USER lienthong
EXPOSE 8080 50051
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["lienthong"]
CMD ["run", "--host", "0.0.0.0"]
