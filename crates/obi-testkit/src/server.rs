//! A tiny HTTP/1.1 test server on loopback that counts what it sees: enough to test a client's guard,
//! redirects and limits without any framework. One thread per connection; connections are kept alive
//! between requests (HTTP/1.1) for byte bodies, closed after the streaming ones.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// A response body.
#[derive(Clone, Debug)]
pub enum Body {
    /// These bytes.
    Bytes(Vec<u8>),
    /// Zero bytes forever (until the client goes away), without a Content-Length.
    Endless,
    /// `n` bytes, one every `every`.
    Drip {
        /// How many bytes.
        n: usize,
        /// The pause between bytes.
        every: Duration,
    },
    /// Claims `claimed` bytes in Content-Length, then sends `sent` zero bytes.
    Claims {
        /// The Content-Length header value.
        claimed: u64,
        /// The bytes actually sent.
        sent: usize,
    },
}

/// A response.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}

impl Reply {
    /// 200 with a body and content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
        }
    }

    /// A redirect.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Body::Bytes(Vec::new()),
        }
    }

    /// A status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: Body::Bytes(Vec::new()),
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Answers a request from its path and its whole head (request line and headers).
type Handler = dyn Fn(&str, &str) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// Serve `handler` on `bind` (e.g. `127.0.0.1:0` or `[::1]:0`). `None` if the address cannot be bound
    /// (no IPv6 on this machine).
    pub fn start(
        bind: &str,
        handler: impl Fn(&str) -> Reply + Send + Sync + 'static,
    ) -> Option<TestServer> {
        TestServer::start_with_head(bind, move |path, _| handler(path))
    }

    /// Like [`TestServer::start`], the handler also seeing the request head (to answer conditional
    /// requests, say).
    pub fn start_with_head(
        bind: &str,
        handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static,
    ) -> Option<TestServer> {
        let listener = TcpListener::bind(bind).ok()?;
        let addr = listener.local_addr().ok()?;
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (c, r, s) = (connections.clone(), requests.clone(), stop.clone());
        std::thread::spawn(move || {
            // Blocking accept; Drop wakes it with a connection of its own after setting `stop`.
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let (h, r, s) = (handler.clone(), r.clone(), s.clone());
                std::thread::spawn(move || serve(stream, &*h, &r, &s));
            }
        });
        Some(TestServer {
            addr,
            connections,
            requests,
            stop,
        })
    }

    /// `http://ADDR` (IPv6 in brackets).
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, requests: &AtomicUsize, stop: &AtomicBool) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buffered = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(i) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buffered.len() > 16 * 1024 || stop.load(Ordering::Relaxed) {
                return;
            }
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffered.extend_from_slice(&buf[..n]),
            }
        };
        let head: Vec<u8> = buffered.drain(..end).collect();
        requests.fetch_add(1, Ordering::SeqCst);
        let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let path = String::from_utf8_lossy(&head)
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_owned();
        let reply = handler(&path, &String::from_utf8_lossy(&head));
        let keep_alive = matches!(reply.body, Body::Bytes(_))
            && text.lines().next().is_some_and(|l| l.ends_with("http/1.1"))
            && !text.contains("\r\nconnection: close");
        if !respond(&mut stream, reply, keep_alive, stop) || !keep_alive {
            return;
        }
    }
}

/// Write one response; false if the connection broke.
fn respond(stream: &mut TcpStream, reply: Reply, keep_alive: bool, stop: &AtomicBool) -> bool {
    let mut out = format!(
        "HTTP/1.1 {} X\r\nConnection: {}\r\n",
        reply.status,
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    match &reply.body {
        Body::Bytes(b) => out.push_str(&format!("Content-Length: {}\r\n\r\n", b.len())),
        Body::Endless | Body::Drip { .. } => out.push_str("\r\n"),
        Body::Claims { claimed, .. } => out.push_str(&format!("Content-Length: {claimed}\r\n\r\n")),
    }
    let mut out = out.into_bytes();
    if let Body::Bytes(b) = &reply.body {
        // One write: a response in two segments costs the client a round of delayed ACKs.
        out.extend_from_slice(b);
        return stream.write_all(&out).is_ok();
    }
    if stream.write_all(&out).is_err() {
        return false;
    }
    match reply.body {
        Body::Bytes(_) => {}
        Body::Endless => {
            let chunk = vec![0u8; 64 * 1024];
            // Stops when the client hangs up, or after 4 GiB, or when the server is dropped.
            for _ in 0..65_536 {
                if stop.load(Ordering::Relaxed) || stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        Body::Drip { n, every } => {
            for _ in 0..n {
                if stop.load(Ordering::Relaxed) || stream.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(every);
            }
        }
        Body::Claims { sent, .. } => {
            let _ = stream.write_all(&vec![0u8; sent]);
        }
    }
    false
}
