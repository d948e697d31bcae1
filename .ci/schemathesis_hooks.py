"""Hooks for the schemathesis run in .ci/api-conformance.

Recordings are raw bytes sent with an audio media type; schemathesis has no
serializer for audio types, so they reuse its raw-bytes one.
"""

import schemathesis

for media_type in ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"):
    schemathesis.serializer.alias(media_type, "application/octet-stream")
