"""An httpx transport whose sockets are plain asyncio streams.

httpx's ``AsyncClient`` talks to the network through httpcore, which on asyncio goes
through anyio.  Measured on this project's (shared, loaded) machine against the
``bench/crawl.py`` server: 16 connections fetching 140 KB pages did 91–194 pages/s through
the default path and 171–311 pages/s through this one; httpx's sync client does ~1,700
small requests/s on one connection where the async default did 135–390.  httpcore lets the
network layer be replaced
(``network_backend``): this module is that layer on ``asyncio.open_connection``, and
``AsyncioTransport`` is httpx's ``AsyncHTTPTransport`` using it.  Everything above the
socket — HTTP/1.1 parsing (h11), the connection pool, timeouts, the ``AsyncClient`` API —
is httpx's and httpcore's, unchanged.  ``fetch.make_async_client`` mounts it for plain
``http://`` only; ``https://`` stays on httpx's own, TLS-tested transport (``start_tls`` here
works but has only been exercised by httpcore's interface, not against live sites).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Any, Iterable

import httpcore
import httpx


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):  # (wait_for would start a task per read)
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except OSError:
            pass

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return self._reader.at_eof() or bool(self._reader._buffer)  # noqa: SLF001 (a closed idle connection)
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        try:
            connect = asyncio.open_connection(host, port, limit=2 ** 20,
                                              local_addr=(local_address, 0) if local_address else None)
            async with asyncio.timeout(timeout):
                reader, writer = await connect
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Stream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` over ``AsyncioBackend`` (same pool, same limits)."""

    def __init__(self, limits: httpx.Limits = httpx.Limits(), **kwargs: Any) -> None:
        super().__init__(limits=limits, **kwargs)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=self._pool._ssl_context,  # noqa: SLF001 (httpx built it from verify/cert)
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False, network_backend=AsyncioBackend(),
        )
