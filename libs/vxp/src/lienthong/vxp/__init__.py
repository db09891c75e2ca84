"""The national document axis' mailbox protocol (VDXP, SDKVXP 2.0.x), as server and as client.

Agency document systems (VNPT-iOffice, Bkav eDoc, Viettel...) talk to the national axis through
the Government Office's SDK: a pull mailbox over HTTP whose parameters are headers
``XroadVnpt-<name>`` signed with HMAC-SHA256. This library is that protocol and nothing else:

- :mod:`lienthong.vxp.protocol` — every call as data (:data:`~lienthong.vxp.protocol.OPERATIONS`),
  the reply envelope, the error codes and their typed errors, parameter readers;
- :mod:`lienthong.vxp.auth` — SDK-identical signing (:func:`~lienthong.vxp.auth.sign_headers`),
  request authentication over a verification port (:func:`~lienthong.vxp.auth.authenticate`),
  streaming ``hash-file`` checks (:class:`~lienthong.vxp.auth.BodyHasher`);
- :mod:`lienthong.vxp.client` — :class:`~lienthong.vxp.client.VxpClient`, an SDK-compatible client.

Calls (path after the endpoint; method SDKVXP sends / methods a server accepts):

================================  ==========  ================================================
``/sendEdoc``                     POST        ``from``, ``servicetype``, ``messagetype``, ``to``?,
                                              ``hash-file``; body = .edxml (+CRLF) → ``DocId``
``/getReceivedEdocList``          POST (GET)  ``servicetype``, ``messagetype``, ``fromDate``?,
                                              ``toDate``? → ``data: [{docId, serviceType,
                                              messageType, created_time, updated_time, from, to,
                                              status, status_desc}]``
``/getEdoc``                      POST (GET)  ``docId`` (``filePath`` ignored) → ``data`` = base64
``/downloadEdoc``                 GET (POST)  ``docId`` → raw bytes (empty body = failure)
``/updateStatus``                 POST (GET)  ``docId``, ``status`` = done | fail | processing
``/getSentEdocList``              POST (GET)  ``servicetype``, ``messagetype`` → ``data: [{serviceType,
                                              messageType, senderDocId, receiverDocId, fromCode,
                                              toCode, notation, title, sentTime, receivedTime,
                                              sendStatus, sendStatusDesc, receiveStatus,
                                              receiveStatusDesc}]``
``/countReceiveEdoc``             POST (GET)  ``servicetype``, ``messagetype`` → ``count``
``/countReceiveStatus``           POST (GET)  ``servicetype``, ``messagetype`` → ``count``
``/getAgenciesList``              POST (GET)  → ``data: [{id, code, pid, name, mail}]``
``/getSynchronizeUnit``           POST (GET)  → ``data: [{..., version, centerCode, deleted,
                                              modifyDate, isAgency}]``
``/registerAgency``               POST        JSON body ``{code, pcode, name, mail}``
``/deleteAgency``                 POST (GET)  ``AgencyCode``
================================  ==========  ================================================

Every call also carries the signed ``systemid``, ``timestamp`` and ``Content-Type``. The count
calls are documented as GET but SDKVXP 2.0.1 sends them (and ``getEdoc``, ``updateStatus``) as
POST with the body ``{}``; servers accept both.

Quirks handled (``domain/national-axis.md`` §2):

- Q1 headers are read as ``XroadVnpt-<name>`` first, then bare, case-insensitively;
- Q2 headers leaked from earlier calls (the SDK never clears its map) are ignored, never refused;
  but an *unsigned* parameter is never read;
- Q3 the SDK's timestamp is frozen at construction: the freshness window is off by default;
  timestamps are read in the SDK's ``ddMMyyyy'T'HHmmss+SSSS``, ISO 8601, epoch and dd/MM/yyyy forms;
- Q4 the body may be the file plus one CRLF: ``hash-file`` is checked against both, streaming;
- Q5 ``hash-file`` may be zero-padded hex or SDK-style unpadded hex;
- Q6 ``to`` is optional (statuses never carry it): element shape is tolerated (strings or objects);
- Q7 ``ErrorCode`` is always a string and replies are always well-formed JSON envelopes; a FAIL
  reply also carries the call's fields empty (``DocId: ""``...) because SDKVXP reads ``DocId``
  unconditionally.

The signed JSON is ``JsonObject.toString()``: compact and *not* HTML-escaped (Gson's
``toString`` uses a plain ``JsonWriter``; the domain file's note that ``=``/``<``/``&`` are
escaped holds only for ``new Gson().toJson``). Servers verify the JSON as received, so either
form authenticates.
"""
