"""Live updates for open pages: the console's own queue on `kim.events`, bound to
`notification.delivered`, fanned out in this process to the open inbox streams of
the recipient each event names.

- One exclusive, auto-deleted, non-durable queue per console process
  (`shared.platform.messaging.CONSOLE_LIVE`): it only feeds pages open now. An
  event that arrives while nobody listens is dropped; the inbox page reads
  every item again from the notifications service.
- Bounded: each open stream has a small buffer; when it is full (a stalled
  browser) the stream is told it lags and ends, and the browser reconnects and
  reads the inbox afresh. A stream ends after `STREAM_SECONDS` anyway.
- The broker may be away at start-up or later: the listener retries with
  backoff in the background; pages never wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from shared import contracts as c
from shared.platform.messaging import CONSOLE_LIVE, EVENTS

log = logging.getLogger("console.live")

#: New items one stream may hold before it is told it lags.
STREAM_BUFFER = 20
#: Open streams one recipient may have (tabs); the oldest is ended past it.
STREAMS_PER_RECIPIENT = 10


@dataclass(frozen=True)
class Arrival:
    """A new inbox item for a recipient (or `lagging`: re-read the inbox)."""

    delivery_id: UUID | None
    lagging: bool = False


class Stream:
    """One open page's feed."""

    def __init__(self) -> None:
        self.arrivals: asyncio.Queue[Arrival] = asyncio.Queue(maxsize=STREAM_BUFFER)
        self.ended = False

    def offer(self, arrival: Arrival) -> None:
        if self.ended:
            return
        try:
            self.arrivals.put_nowait(arrival)
        except asyncio.QueueFull:
            self.end_lagging()

    def end_lagging(self) -> None:
        """Too far behind or pushed out: the page re-reads the inbox when it reconnects."""
        self.ended = True
        with contextlib.suppress(asyncio.QueueEmpty):
            while True:
                self.arrivals.get_nowait()
        self.arrivals.put_nowait(Arrival(None, lagging=True))


class LiveInbox:
    """The open streams of this process, by recipient."""

    def __init__(self) -> None:
        self._streams: dict[UUID, list[Stream]] = defaultdict(list)

    @contextlib.asynccontextmanager
    async def stream(self, recipient_id: UUID) -> AsyncIterator[Stream]:
        stream = Stream()
        open_ = self._streams[recipient_id]
        open_.append(stream)
        if len(open_) > STREAMS_PER_RECIPIENT:
            open_.pop(0).end_lagging()
        try:
            yield stream
        finally:
            if stream in open_:
                open_.remove(stream)
            if not open_:
                self._streams.pop(recipient_id, None)

    def delivered(self, outcome: c.DeliveryOutcome) -> None:
        if outcome.channel != "inbox":
            return
        for stream in list(self._streams.get(outcome.recipient_id, ())):
            stream.offer(Arrival(outcome.delivery_id))

    def open_streams(self) -> int:
        return sum(len(streams) for streams in self._streams.values())


class Listener:
    """Consumes `notification.delivered` on a queue of this process's own and hands
    each event to the `LiveInbox`. Runs as a background task from start to stop."""

    def __init__(self, amqp_url: str, inbox: LiveInbox, *, publisher: str = "notifications") -> None:
        """`publisher`: the broker user of the notifications service; a message
        whose AMQP `user_id` (checked by the broker) is not it is ignored."""
        self._url, self._inbox, self._publisher = amqp_url, inbox, publisher
        self.connected = asyncio.Event()
        self._stopping = False
        self.queue_name = f"{CONSOLE_LIVE.prefix}.{os.getpid()}.{secrets.token_hex(4)}"

    async def run(self) -> None:
        """Connect (again, with backoff up to 30 s, whenever the connection is lost) and consume."""
        backoff = 0.5
        while not self._stopping:
            try:
                connection = await aio_pika.connect(self._url, timeout=5)
            except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as error:
                if self._stopping:
                    return
                log.warning("live updates: broker unreachable (%s); retrying in %.1f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            try:
                await self._listen(connection)
                backoff = 0.5  # it listened until the connection closed: start afresh
            except (OSError, aio_pika.exceptions.AMQPError) as error:
                # Refused (e.g. a permission) or lost: wait before trying again, longer each time,
                # so a broker that keeps refusing is not asked thousands of times a minute.
                log.warning("live updates: connection lost (%s); reconnecting in %.1f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
            finally:
                self.connected.clear()

    async def stop(self, task: asyncio.Task[None]) -> None:
        """End the listener (its queue goes with its connection). A cancellation that lands
        inside the client's connect may be swallowed, hence the flag and the bounded wait."""
        self._stopping = True
        task.cancel()
        await asyncio.wait({task}, timeout=5)

    async def _listen(self, connection: aio_pika.abc.AbstractConnection) -> None:
        """Consume until the connection closes (the broker went away, or stop)."""
        async with connection:
            closed = asyncio.Event()
            connection.close_callbacks.add(lambda *_: closed.set())
            await self._consume(connection)
            self.connected.set()
            await closed.wait()

    async def _consume(self, connection: aio_pika.abc.AbstractConnection) -> None:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        # The events exchange is the producers' to declare: the console's broker user may only
        # read from it (binding needs no more), so it is named, not declared.
        queue = await channel.declare_queue(self.queue_name, exclusive=True, auto_delete=True, durable=False)
        for key in CONSOLE_LIVE.routing_keys:
            await queue.bind(EVENTS.name, routing_key=key)
        await queue.consume(self._on_message, no_ack=True)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        if message.user_id != self._publisher:
            log.warning("live updates: ignored a notification.delivered published by %r", message.user_id)
            return
        try:
            event = c.NotificationDelivered.model_validate_json(message.body)
        except ValidationError:
            log.warning("live updates: ignored a malformed notification.delivered")
            return
        self._inbox.delivered(event.data)
