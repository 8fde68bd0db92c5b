//! Verifying a stream of tokens, one per line, on every core, in input order, in bounded
//! memory.
//!
//! A pipeline: one reader thread cuts the input into small batches of lines and deals them
//! round-robin to the workers over bounded channels; each worker verifies and renders its
//! batch; the writer (the calling thread) takes the results back from the workers in the same
//! round-robin order. Order is kept without a reorder buffer.
//!
//! Memory is bounded by bytes, not lines: every line read and every verdict rendered is
//! charged to one [`Budget`] shared by reader, workers and writer, and released when the
//! writer has written it. The reader waits while the budget is spent, so at most
//! [`BUDGET_BYTES`] of work (plus the line being read, and one line over the budget when
//! nothing else is in flight) is held however long the lines and however many there are.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::core::token::MAX_TOKEN_BYTES;
use crate::core::verify::{Failure, Reason, Verdict};

/// Lines per batch at most: large enough to make channel traffic negligible, small enough to
/// keep all workers busy near the end of the input.
const BATCH_LINES: usize = 256;

/// Bytes per batch at most (a batch holds at least one line), so long lines still spread
/// over the workers.
const BATCH_BYTES: usize = 4 << 20;

/// Batches queued per worker, each way.
const QUEUE_DEPTH: usize = 4;

/// Bytes of work in flight at once: lines (see [`WORK_PER_BYTE`]) and rendered verdicts.
pub const BUDGET_BYTES: usize = 128 << 20;

/// What a line is counted at, per byte of it: the line itself, and the work verifying it
/// (decoded and parsed claims, the rendered verdict) — about 4 bytes for a claim of long
/// strings, up to about 30 for claims made of many tiny values (serde_json's `Value`).
pub const WORK_PER_BYTE: usize = 16;

/// The most worker threads a run starts.
pub const MAX_JOBS: usize = 256;

/// What a run found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Tokens judged (empty lines are skipped, though they keep their line numbers).
    pub total: u64,
    /// Valid tokens.
    pub valid: u64,
    /// Rejections by reason.
    pub by_reason: BTreeMap<Reason, u64>,
    /// Worker threads that ran (0: the system started none, and one thread did everything).
    pub workers: usize,
}

impl Summary {
    /// `1000 tokens: 990 valid, 7 expired, 3 bad_signature`.
    pub fn line(&self) -> String {
        let mut parts = vec![format!("{} valid", self.valid)];
        parts.extend(
            self.by_reason
                .iter()
                .map(|(reason, n)| format!("{n} {}", reason.code())),
        );
        let noun = if self.total == 1 { "token" } else { "tokens" };
        format!("{} {noun}: {}", self.total, parts.join(", "))
    }

    fn count(&mut self, verdict: &Verdict) {
        self.total += 1;
        match verdict.reason() {
            None => self.valid += 1,
            Some(reason) => *self.by_reason.entry(reason).or_default() += 1,
        }
    }

    fn merge(&mut self, other: Summary) {
        self.total += other.total;
        self.valid += other.valid;
        for (reason, n) in other.by_reason {
            *self.by_reason.entry(reason).or_default() += n;
        }
    }
}

/// One line of input without its terminator.
enum Line {
    /// Nothing but whitespace: skipped, but it keeps its number.
    Empty,
    Token(Vec<u8>),
    /// Over the cap: how large it was.
    TooLarge(u64),
}

impl Line {
    /// What it is charged to the budget: its buffer and the work on it, plus bookkeeping.
    fn cost(&self) -> usize {
        64 + match self {
            Line::Token(bytes) => bytes.capacity() + (WORK_PER_BYTE - 1) * bytes.len(),
            Line::Empty | Line::TooLarge(_) => 0,
        }
    }
}

struct Batch {
    first_line: u64,
    lines: Vec<Line>,
    /// Bytes charged to the budget for its lines.
    cost: usize,
}

struct Rendered {
    text: Vec<u8>,
    summary: Summary,
    /// Bytes charged for the batch and its text, released once written.
    cost: usize,
}

/// Bytes in flight, shared by reader, workers and writer. Only the reader ever waits for it
/// (workers and writer never block on it), so it cannot deadlock the pipeline.
struct Budget {
    state: Mutex<(usize, bool)>,
    freed: Condvar,
}

impl Budget {
    fn new() -> Self {
        Budget {
            state: Mutex::new((0, false)),
            freed: Condvar::new(),
        }
    }

    /// Take `n` bytes if they fit now (or nothing else is in flight).
    fn try_take(&self, n: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let fits = state.0 == 0 || state.0 + n <= BUDGET_BYTES;
        if fits {
            state.0 += n;
        }
        fits
    }

    /// Wait until `n` bytes fit, and take them; `false` when the run was stopped.
    fn take(&self, n: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.1 && state.0 != 0 && state.0 + n > BUDGET_BYTES {
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.0 += n;
        !state.1
    }

    /// Count `n` more bytes without waiting (a rendered verdict).
    fn charge(&self, n: usize) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 += n;
    }

    fn release(&self, n: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 = state.0.saturating_sub(n);
        self.freed.notify_all();
    }

    /// The writer stopped: wake the reader for good.
    fn close(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.freed.notify_all();
    }
}

/// Verify every line of `input` with up to `jobs` workers (at most [`MAX_JOBS`]), writing
/// `render(verdict, line number)` for each non-empty line to `out` in input order.
/// `progress` is called with the count so far after each batch is written. Threads the
/// system refuses to start mean fewer workers, or none: then the calling thread does it all.
pub fn run<R, V, F>(
    input: R,
    out: &mut dyn Write,
    verify: &V,
    jobs: usize,
    render: F,
    progress: &mut dyn FnMut(u64),
) -> io::Result<Summary>
where
    R: BufRead + Send,
    V: Fn(&[u8]) -> Verdict + Sync,
    F: Fn(&Verdict, u64) -> Vec<u8> + Sync,
{
    let jobs = jobs.clamp(1, MAX_JOBS);
    return_large_buffers();
    let budget = Budget::new();
    // Lent to the reader thread; taken back if that thread cannot start.
    let input = Mutex::new(Some(input));
    let take_input = || input.lock().unwrap_or_else(PoisonError::into_inner).take();
    std::thread::scope(|scope| {
        let (budget, render, take_input) = (&budget, &render, &take_input);
        let mut to_workers = Vec::with_capacity(jobs);
        let mut from_workers = Vec::with_capacity(jobs);
        for i in 0..jobs {
            let (batch_tx, batch_rx) = sync_channel::<Batch>(QUEUE_DEPTH);
            let (result_tx, result_rx) = sync_channel::<Rendered>(QUEUE_DEPTH);
            let worker = move || work(batch_rx, result_tx, verify, render, budget);
            let spawned = std::thread::Builder::new()
                .name(format!("jwtk-verify-{i}"))
                .spawn_scoped(scope, worker);
            if spawned.is_err() {
                break;
            }
            to_workers.push(batch_tx);
            from_workers.push(result_rx);
        }
        let workers = from_workers.len();
        let reader = (workers > 0)
            .then(|| {
                std::thread::Builder::new()
                    .name("jwtk-read".into())
                    .spawn_scoped(scope, move || match take_input() {
                        Some(input) => read(input, to_workers, budget),
                        None => Ok(()),
                    })
                    .ok()
            })
            .flatten();
        let Some(reader) = reader else {
            // The workers end as their channels close; one thread does the work instead.
            drop(from_workers);
            let input = take_input().ok_or_else(|| io::Error::other("the input was lost"))?;
            return alone(input, out, verify, render, progress);
        };
        let mut summary = Summary {
            workers,
            ..Summary::default()
        };
        let written = write_in_order(&from_workers, out, &mut summary, budget, progress);
        // If writing failed (a closed pipe), the reader stops and the workers follow.
        budget.close();
        drop(from_workers);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.and(read).map(|()| summary)
    })
}

/// Make freed buffers of a quarter MiB and more go back to the system at once. glibc's malloc
/// otherwise raises its mmap threshold after the first large free (up to 32 MiB), and then
/// every worker thread's arena keeps the high-water mark of the long lines it handled: 128
/// lines of 4 MiB peaked at 157 MB with 8 workers and 224 MB with 256, against 25 and 30 MB
/// with the threshold fixed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_buffers() {
    // SAFETY: mallopt only sets a malloc tuning parameter; it is called before this run
    // starts its threads, and any value is valid for M_MMAP_THRESHOLD up to 32 MiB.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_buffers() {}

/// The whole run on the calling thread, when no worker thread could start.
fn alone<R: BufRead, V: Fn(&[u8]) -> Verdict, F: Fn(&Verdict, u64) -> Vec<u8>>(
    mut input: R,
    out: &mut dyn Write,
    verify: &V,
    render: &F,
    progress: &mut dyn FnMut(u64),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut number = 0;
    while let Some(line) = read_line(&mut input)? {
        number += 1;
        if let Some(verdict) = judge(&line, verify) {
            summary.count(&verdict);
            out.write_all(&render(&verdict, number))?;
        }
        if number % BATCH_LINES as u64 == 0 {
            progress(summary.total);
        }
    }
    progress(summary.total);
    out.flush()?;
    Ok(summary)
}

fn read<R: BufRead>(
    mut input: R,
    workers: Vec<SyncSender<Batch>>,
    budget: &Budget,
) -> io::Result<()> {
    let mut workers = workers.iter().cycle();
    let mut batch = Batch {
        first_line: 1,
        lines: Vec::new(),
        cost: 0,
    };
    // Hand the batch to the next worker and start the next one; `false` once the writer
    // stopped.
    let mut send = |batch: &mut Batch| {
        let next = Batch {
            first_line: batch.first_line + batch.lines.len() as u64,
            lines: Vec::new(),
            cost: 0,
        };
        let full = std::mem::replace(batch, next);
        workers.next().is_some_and(|w| w.send(full).is_ok())
    };
    while let Some(line) = read_line(&mut input)? {
        let cost = line.cost();
        if !budget.try_take(cost) {
            // Everything charged must be on its way before waiting for the writer to free it.
            if !batch.lines.is_empty() && !send(&mut batch) {
                return Ok(());
            }
            if !budget.take(cost) {
                return Ok(());
            }
        }
        batch.cost += cost;
        batch.lines.push(line);
        if (batch.lines.len() >= BATCH_LINES || batch.cost >= BATCH_BYTES) && !send(&mut batch) {
            return Ok(());
        }
    }
    if !batch.lines.is_empty() {
        send(&mut batch);
    }
    Ok(())
}

/// One line without its terminator; past the cap, the rest of the line is drained and counted.
fn read_line<R: BufRead>(input: &mut R) -> io::Result<Option<Line>> {
    let mut line = Vec::new();
    let read = Read::take(&mut *input, MAX_TOKEN_BYTES + 2).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && line.len() as u64 > MAX_TOKEN_BYTES {
        drop(line);
        return drain(input, MAX_TOKEN_BYTES + 2).map(|size| Some(Line::TooLarge(size)));
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(Some(Line::Empty));
    }
    Ok(Some(Line::Token(line)))
}

/// Skip the rest of an over-long line; its whole size (`seen` bytes already read).
fn drain<R: BufRead>(input: &mut R, seen: u64) -> io::Result<u64> {
    let mut size = seen;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(size);
        }
        let (used, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        size += used as u64 - u64::from(done);
        input.consume(used);
        if done {
            return Ok(size);
        }
    }
}

/// The verdict for one line; `None` for an empty line.
fn judge(line: &Line, verify: &impl Fn(&[u8]) -> Verdict) -> Option<Verdict> {
    match line {
        Line::Empty => None,
        Line::Token(bytes) => Some(verify(bytes)),
        Line::TooLarge(size) => Some(Verdict {
            failures: vec![Failure {
                reason: Reason::Malformed,
                message: format!(
                    "token is too large: {size} bytes, over the {MAX_TOKEN_BYTES}-byte limit"
                ),
            }],
            ..Verdict::default()
        }),
    }
}

fn work<V, F>(
    batches: Receiver<Batch>,
    results: SyncSender<Rendered>,
    verify: &V,
    render: &F,
    budget: &Budget,
) where
    V: Fn(&[u8]) -> Verdict,
    F: Fn(&Verdict, u64) -> Vec<u8>,
{
    for batch in batches {
        let mut rendered = Rendered {
            text: Vec::new(),
            summary: Summary::default(),
            cost: batch.cost,
        };
        for (i, line) in batch.lines.into_iter().enumerate() {
            if let Some(verdict) = judge(&line, verify) {
                rendered.summary.count(&verdict);
                rendered
                    .text
                    .extend(render(&verdict, batch.first_line + i as u64));
            }
        }
        budget.charge(rendered.text.capacity());
        rendered.cost += rendered.text.capacity();
        if results.send(rendered).is_err() {
            return;
        }
    }
}

fn write_in_order(
    workers: &[Receiver<Rendered>],
    out: &mut dyn Write,
    summary: &mut Summary,
    budget: &Budget,
    progress: &mut dyn FnMut(u64),
) -> io::Result<()> {
    // The reader dealt batches round-robin, so taking them back round-robin restores order.
    // A worker's channel closes when the reader is done with it: then every later one is too.
    for worker in workers.iter().cycle() {
        let Ok(rendered) = worker.recv() else { break };
        out.write_all(&rendered.text)?;
        budget.release(rendered.cost);
        summary.merge(rendered.summary);
        progress(summary.total);
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_over_the_cap_are_drained_and_sized() {
        let mut input = Vec::new();
        input.extend(b"a.b.c\n");
        input.extend(vec![b'x'; MAX_TOKEN_BYTES as usize + 10]);
        input.extend(b"\nd.e.f");
        let mut reader = io::BufReader::new(input.as_slice());
        assert!(matches!(read_line(&mut reader).unwrap(), Some(Line::Token(t)) if t == b"a.b.c"));
        assert!(
            matches!(read_line(&mut reader).unwrap(), Some(Line::TooLarge(n)) if n == MAX_TOKEN_BYTES + 10)
        );
        assert!(matches!(read_line(&mut reader).unwrap(), Some(Line::Token(t)) if t == b"d.e.f"));
        assert!(read_line(&mut reader).unwrap().is_none());
    }
}
