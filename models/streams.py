"""Per-session Redis Streams: a replayable log of events for live clients.

Everything a user must not lose is in the database first; the stream only carries it to sockets.
A publish can carry a dedupe key so that a retried job never writes the same event twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import redis

from models.events import EventBase

# SET NX and XADD in one atomic step: each event is written exactly once per dedupe key. KEYS[1] is
# the stream, KEYS[1 + i] event i's dedupe key (the stream itself when it has none); ARGV[1] is
# MAXLEN, then three per event: the dedupe key ('' for none), the type, the data.
_PUBLISH_ONCE = """
local ids = {}
for i = 1, #KEYS - 1 do
  local at = 2 + (i - 1) * 3
  if ARGV[at] ~= '' and not redis.call('SET', KEYS[i + 1], '1', 'NX', 'EX', 86400) then
    ids[i] = false
  else
    ids[i] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[at + 1], 'data', ARGV[at + 2])
  end
end
return ids
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
        return self.publish_all(session_id, [(event, dedupe_key)])[0]

    def publish_all(
        self, session_id: str, events: Sequence[tuple[EventBase, str | None]]
    ) -> list[str | None]:
        """Append each (event, dedupe key) in order, in one round trip; the stream id of each, or None."""
        if not events:
            return []
        keys, args = [stream_key(self._namespace, session_id)], [str(self._maxlen)]
        for event, dedupe_key in events:
            keys.append(f"{self._namespace}:published:{session_id}:{dedupe_key}" if dedupe_key else keys[0])
            # Every event model has `type` and `data`; the stream keeps `data` as compact JSON.
            fields = event.model_dump(mode="json")
            args += [dedupe_key or "", fields["type"], json.dumps(fields["data"], separators=(",", ":"))]
        results: list[Any] = self._script(keys=keys, args=args)
        return [r.decode() if isinstance(r, bytes) else None for r in results]
