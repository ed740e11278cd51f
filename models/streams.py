"""Per-session Redis Streams: a replayable log of events for live clients.

Everything a user must not lose is in the database first; the stream only carries it to sockets.
A publish can carry a dedupe key so that a retried job never writes the same event twice.
"""

from __future__ import annotations

import json
from typing import Any

import redis

from models.events import EventBase

# SET NX and XADD in one atomic step: the event is written exactly once per dedupe key.
_PUBLISH_ONCE = """
if ARGV[1] ~= '' then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', 86400) then
    return false
  end
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[3], 'data', ARGV[4])
"""


def stream_key(namespace: str, session_id: str) -> str:
    return f"{namespace}:session:{session_id}"


def format_event(entry_id: str, fields: dict[str, str]) -> str:
    """The wire format sent over the WebSocket; `data` is already JSON, so no re-encoding."""
    return f'{{"id":"{entry_id}","type":"{fields["type"]}","data":{fields["data"]}}}'


class StreamPublisher:
    def __init__(self, client: redis.Redis, namespace: str, maxlen: int) -> None:
        self._client = client
        self._namespace = namespace
        self._maxlen = maxlen
        self._script = client.register_script(_PUBLISH_ONCE)

    def publish(self, session_id: str, event: EventBase, dedupe_key: str | None = None) -> str | None:
        """Append `event`; returns its stream id, or None when `dedupe_key` was already published."""
        dedupe = f"{self._namespace}:published:{session_id}:{dedupe_key}" if dedupe_key else ""
        key = stream_key(self._namespace, session_id)
        # Every event model has `type` and `data`; the stream keeps `data` as compact JSON.
        fields = event.model_dump(mode="json")
        data = json.dumps(fields["data"], separators=(",", ":"))
        result: Any = self._script(
            keys=[key, dedupe or key], args=[dedupe_key or "", self._maxlen, fields["type"], data]
        )
        return result.decode() if isinstance(result, bytes) else result
