//! A TCP proxy in front of the real server that misbehaves on command: the faults a real
//! backend cannot be made to show (a refused or cut connection, a truncated or stalled
//! answer, garbage, a 503 from something in between).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::TestResult;

/// What the proxy does to the requests it sees next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass everything.
    None,
    /// Refuse: close at once.
    Refuse,
    /// Forward this many bytes of the request, then cut both ways.
    CutRequest(usize),
    /// Forward this many bytes of the answer, then cut (a truncated body).
    CutAnswer(usize),
    /// Hold the answer this many milliseconds before forwarding it.
    Stall(u64),
    /// Answer `200 OK` with a body that is not JSON.
    Garbage,
    /// Answer `503 Service Unavailable` without the API's error body.
    Unavailable,
}

const GARBAGE: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"chang\x00\xff";
const UNAVAILABLE: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\n\r\noops!";

type Shared = Arc<Mutex<(Fault, usize)>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The proxy. A fault is taken by the next request on any connection (pooled keep-alive
/// connections included).
pub struct FaultProxy {
    /// Where clients connect to.
    pub addr: SocketAddr,
    pending: Shared,
    applied: Arc<AtomicUsize>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` on a free port.
    pub async fn start(upstream: SocketAddr) -> TestResult<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let pending: Shared = Arc::new(Mutex::new((Fault::None, 0)));
        let applied = Arc::new(AtomicUsize::new(0));
        let (p, a) = (pending.clone(), applied.clone());
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                tokio::spawn(pump(inbound, upstream, p.clone(), a.clone()));
            }
        });
        Ok(FaultProxy { addr, pending, applied })
    }

    /// The proxy's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies `fault` to the next `requests` requests (`usize::MAX`: until told otherwise).
    pub fn set(&self, fault: Fault, requests: usize) {
        *lock(&self.pending) = (fault, requests);
    }

    /// How many requests a fault was applied to.
    pub fn applied(&self) -> usize {
        self.applied.load(Ordering::SeqCst)
    }
}

fn take(pending: &Shared) -> Option<Fault> {
    let mut g = lock(pending);
    if g.1 > 0 && g.0 != Fault::None {
        g.1 = g.1.saturating_sub(1);
        Some(g.0)
    } else {
        None
    }
}

async fn pump(inbound: TcpStream, upstream: SocketAddr, pending: Shared, applied: Arc<AtomicUsize>) {
    let Ok(outbound) = TcpStream::connect(upstream).await else { return };
    let (mut ir, mut iw) = inbound.into_split();
    let (mut or, mut ow) = outbound.into_split();
    // The fault of the request in flight on this connection, for the answer's direction.
    let current: Shared = Arc::new(Mutex::new((Fault::None, 0)));
    let cur = current.clone();
    let (canned_tx, mut canned_rx) = tokio::sync::mpsc::channel::<&'static [u8]>(1);
    let up = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match ir.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if let Some(fault) = take(&pending) {
                applied.fetch_add(1, Ordering::SeqCst);
                *lock(&cur) = (fault, 0);
                match fault {
                    Fault::Refuse => return,
                    Fault::CutRequest(limit) => {
                        let _ = ow.write_all(&buf[..limit.min(n)]).await;
                        return;
                    }
                    Fault::Garbage | Fault::Unavailable => {
                        let answer = if fault == Fault::Garbage { GARBAGE } else { UNAVAILABLE };
                        let _ = canned_tx.send(answer).await;
                        // Wait for the answer to be written before the connection ends.
                        std::future::pending::<()>().await;
                    }
                    _ => {}
                }
            }
            if ow.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = tokio::select! {
                read = or.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                },
                canned = canned_rx.recv() => {
                    if let Some(answer) = canned {
                        let _ = iw.write_all(answer).await;
                    }
                    return;
                }
            };
            let (fault, sent) = *lock(&current);
            match fault {
                Fault::Stall(ms) => {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    *lock(&current) = (Fault::None, 0);
                }
                Fault::CutAnswer(limit) => {
                    let room = limit.saturating_sub(sent);
                    let _ = iw.write_all(&buf[..room.min(n)]).await;
                    if room <= n {
                        return;
                    }
                    *lock(&current) = (fault, sent + n);
                    continue;
                }
                _ => {}
            }
            if iw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    // A cut in either direction ends the connection.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}
