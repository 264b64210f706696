//! One client connection's socket, guarded: a write that makes no progress for the write
//! timeout fails (a client that never reads its responses cannot hold the connection), the
//! HTTP layer's own bodiless error answers (400, 414, 431) are given the JSON error body every
//! other error has, and when hyper gives up on a client's headers (its header-read timeout) a
//! client that had started a request is answered 408, while an idle keep-alive one is just
//! closed.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

use super::error::ApiError;

pub(crate) struct GuardedIo {
    inner: TcpStream,
    write_timeout: Duration,
    /// hyper's header-read timeout, which starts when it waits for a request head: at the
    /// start and after each response.
    header_timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
    /// A rewritten answer still to be written (it replaced hyper's own).
    pending: Vec<u8>,
    /// Bytes read in all, and when the server last wrote.
    read: u64,
    read_at_last_write: u64,
    last_write: Instant,
}

impl GuardedIo {
    pub(crate) fn new(inner: TcpStream, write_timeout: Duration, header_timeout: Duration) -> Self {
        Self {
            inner,
            write_timeout,
            header_timeout,
            stalled: None,
            pending: Vec::new(),
            read: 0,
            read_at_last_write: 0,
            last_write: Instant::now(),
        }
    }

    /// Passes a write's result on; a write pending for longer than the write timeout fails.
    fn timed<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let timeout = self.write_timeout;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read the response in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Writes what is left of a rewritten answer.
    fn drain_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let poll = Pin::new(&mut self.inner).poll_write(cx, &self.pending);
            let n = ready!(self.timed(cx, poll))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

use std::future::Future;

impl AsyncRead for GuardedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.read += (buf.filled().len() - before) as u64;
        poll
    }
}

impl AsyncWrite for GuardedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain_pending(cx))?;
        self.read_at_last_write = self.read;
        self.last_write = Instant::now();
        if let Some(status) = http_layer_error(buf) {
            self.pending = error_response(&ApiError::http_layer(status));
            // Best effort now; the rest on the next write, flush or shutdown.
            let _ = self.drain_pending(cx);
            return Poll::Ready(Ok(buf.len()));
        }
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.timed(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain_pending(cx))?;
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.timed(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain_pending(cx))?;
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.timed(cx, poll)
    }

    /// No vectored writes: hyper then hands over each response head in one buffer, which is
    /// what [`http_layer_error`] looks at.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

impl Drop for GuardedIo {
    /// hyper drops the socket when it gives up; if the client had sent part of a request and
    /// nothing was answered for the header timeout, that was hyper's header-read timeout: say
    /// 408 (without waiting: the socket takes it, or the client does not get it).
    fn drop(&mut self) {
        if self.read > self.read_at_last_write && self.last_write.elapsed() >= self.header_timeout {
            let _ = self.inner.try_write(&error_response(&ApiError::timeout()));
        }
    }
}

/// The status of an answer hyper wrote by itself for a request it could not parse: a 400, 414
/// or 431 head with no `content-type` and an empty body. (Every answer of this server's own
/// has a `content-type`.)
fn http_layer_error(buf: &[u8]) -> Option<u16> {
    let status: u16 = std::str::from_utf8(buf.get(..12)?)
        .ok()?
        .strip_prefix("HTTP/1.1 ")?
        .parse()
        .ok()?;
    if !matches!(status, 400 | 414 | 431) {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let bodiless = head.contains("\r\ncontent-length: 0") && end + 4 == buf.len();
    (bodiless && !head.contains("\r\ncontent-type:")).then_some(status)
}

/// A complete HTTP/1.1 answer carrying the error's JSON body, closing the connection.
pub(crate) fn error_response(error: &ApiError) -> Vec<u8> {
    let body = error.body_bytes();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\n\r\n",
        error.status.as_u16(),
        error.status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hyper_answers_only() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Mon, 30 Nov 2026 06:00:00 GMT\r\n\r\n";
        assert_eq!(http_layer_error(hyper), Some(431));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(http_layer_error(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(http_layer_error(ok), None);
        let response = error_response(&ApiError::http_layer(414));
        let text = String::from_utf8(response).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        assert!(text.ends_with("}}"), "{text}");
        assert!(text.contains("\"code\":\"uri_too_long\""), "{text}");
    }
}
