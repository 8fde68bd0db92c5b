//! Verifying a stream of tokens, one per line, on every core, in input order, in bounded
//! memory.
//!
//! No thread only reads or only writes: on a 2-core machine such a thread would take a core
//! from the verifiers whenever it wakes. Each worker (the calling thread is one) takes the
//! next batch of lines from the input under a lock — one buffer for the batch, no allocation
//! per line — verifies and renders it into its own output buffer, and hands the result to
//! the writer state under a second lock: the batch next in order is written at once, by
//! whichever worker delivers it (with any batches behind it that were waiting); a batch that
//! is early waits there. Order is kept by sequence numbers.
//!
//! Memory is bounded by bytes, not lines: every line read and every verdict rendered is
//! charged to one `Budget`, and released when the verdicts are written. A worker waits for
//! the budget only with no lines in hand, so the batch next in order is always being verified
//! or written: at most [`BUDGET_BYTES`] of work (plus one line over the budget when nothing
//! else is in flight, and the batch each worker holds) is held however long the lines and
//! however many there are.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::ops::Range;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::reason::{Failure, Reason};
use crate::token::compact::MAX_TOKEN_BYTES;
use crate::verify::verdict::Verdict;

/// Lines per batch at most: large enough to make locking negligible, small enough to keep
/// all workers busy near the end of the input.
const BATCH_LINES: usize = 256;

/// Bytes of counted work per batch at most (a batch holds at least one line), so long lines
/// still spread over the workers.
const BATCH_BYTES: usize = 4 << 20;

/// A worker keeps its input and output buffers for the next batch up to this size; larger
/// ones (a batch of long lines) go back to the allocator.
const KEEP_BYTES: usize = 1 << 20;

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
    /// Threads that verified, the calling thread included (1: the system started no other).
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
    /// Where the line is in its batch's bytes.
    Token(Range<usize>),
    /// Over the cap: how large it was.
    TooLarge(u64),
}

/// What a line of `len` bytes is charged to the budget: its bytes and the work on them, plus
/// bookkeeping.
fn line_cost(len: usize) -> usize {
    64 + WORK_PER_BYTE * len
}

/// Lines taken from the input together, their bytes in one buffer.
#[derive(Default)]
struct Batch {
    /// Its place in the output order.
    seq: u64,
    first_line: u64,
    bytes: Vec<u8>,
    lines: Vec<Line>,
    /// Bytes charged to the budget for its lines.
    cost: usize,
}

impl Batch {
    fn clear(&mut self) {
        if self.bytes.capacity() > KEEP_BYTES {
            self.bytes = Vec::new();
        }
        self.bytes.clear();
        self.lines.clear();
        self.cost = 0;
    }

    fn full(&self) -> bool {
        self.lines.len() >= BATCH_LINES || self.cost >= BATCH_BYTES
    }
}

/// A batch's verdicts, rendered.
struct Rendered {
    seq: u64,
    text: Vec<u8>,
    summary: Summary,
    /// Bytes charged for the batch and its text, released once written.
    cost: usize,
}

/// Bytes in flight, shared by the workers. A worker waits for it only with no lines in hand,
/// so it cannot deadlock the run.
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

/// The input side, behind its lock.
struct Input<R> {
    input: R,
    /// The number of the next line.
    line: u64,
    /// The sequence number of the next batch.
    seq: u64,
    /// A line read but not yet charged (it did not fit beside the batch it was read with),
    /// and its bytes.
    held: Option<(Line, Vec<u8>)>,
    done: bool,
    error: Option<io::Error>,
}

/// The output side, behind its lock.
struct Output<'o> {
    out: &'o mut (dyn Write + Send),
    progress: &'o mut (dyn FnMut(u64) + Send),
    /// The sequence number of the batch to write next.
    seq: u64,
    /// Batches rendered ahead of their turn.
    early: BTreeMap<u64, Rendered>,
    summary: Summary,
    error: Option<io::Error>,
}

struct Shared<'o, R> {
    input: Mutex<Input<R>>,
    output: Mutex<Output<'o>>,
    budget: Budget,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Verify every line of `input` with up to `jobs` threads (at most [`MAX_JOBS`]; the calling
/// thread is one), writing each non-empty line's verdict — `render` appends it to a buffer,
/// given the line's number — to `out` in input order. `progress` is called with the count so
/// far after each batch is written. Threads the system refuses to start mean fewer workers:
/// at worst the calling thread does it all.
pub fn run<R, V, F>(
    input: R,
    out: &mut (dyn Write + Send),
    verify: &V,
    jobs: usize,
    render: F,
    progress: &mut (dyn FnMut(u64) + Send),
) -> io::Result<Summary>
where
    R: BufRead + Send,
    V: Fn(&[u8]) -> Verdict + Sync,
    F: Fn(&Verdict, u64, &mut Vec<u8>) + Sync,
{
    let jobs = jobs.clamp(1, MAX_JOBS);
    let shared = Shared {
        input: Mutex::new(Input {
            input,
            line: 1,
            seq: 0,
            held: None,
            done: false,
            error: None,
        }),
        output: Mutex::new(Output {
            out,
            progress,
            seq: 0,
            early: BTreeMap::new(),
            summary: Summary::default(),
            error: None,
        }),
        budget: Budget::new(),
    };
    let workers = std::thread::scope(|scope| {
        let (shared, render) = (&shared, &render);
        let mut workers = 1;
        for i in 1..jobs {
            let spawned = std::thread::Builder::new()
                .name(format!("jwtk-verify-{i}"))
                .spawn_scoped(scope, move || work(shared, verify, render));
            if spawned.is_err() {
                break;
            }
            workers += 1;
        }
        work(shared, verify, render);
        workers
    });
    let input = shared
        .input
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let output = shared
        .output
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(err) = output.error.or(input.error) {
        return Err(err);
    }
    output.out.flush()?;
    Ok(Summary {
        workers,
        ..output.summary
    })
}

/// Take batches, verify and render them, and deliver them in order, until the input ends or
/// the run stops.
fn work<R, V, F>(shared: &Shared<'_, R>, verify: &V, render: &F)
where
    R: BufRead,
    V: Fn(&[u8]) -> Verdict,
    F: Fn(&Verdict, u64, &mut Vec<u8>),
{
    let mut batch = Batch::default();
    let mut text = Vec::new();
    while next_batch(shared, &mut batch) {
        let mut summary = Summary::default();
        for (i, line) in batch.lines.iter().enumerate() {
            if let Some(verdict) = judge(line, &batch.bytes, verify) {
                summary.count(&verdict);
                render(&verdict, batch.first_line + i as u64, &mut text);
            }
        }
        shared.budget.charge(text.capacity());
        let rendered = Rendered {
            seq: batch.seq,
            cost: batch.cost + text.capacity(),
            text,
            summary,
        };
        text = deliver(shared, rendered);
        // Its budget is released: large buffers go now, not after waiting for the input.
        if text.capacity() > KEEP_BYTES {
            text = Vec::new();
        }
        text.clear();
        batch.clear();
    }
}

/// Fill `batch` with the next lines of the input; `false` once the input is done or the run
/// stopped.
fn next_batch<R: BufRead>(shared: &Shared<'_, R>, batch: &mut Batch) -> bool {
    let mut input = lock(&shared.input);
    batch.clear();
    if input.done {
        return false;
    }
    batch.first_line = input.line;
    if let Err(err) = fill(&mut input, batch, &shared.budget) {
        input.error = Some(err);
        input.done = true;
    }
    if batch.lines.is_empty() {
        input.done = true;
        return false;
    }
    batch.seq = input.seq;
    input.seq += 1;
    input.line += batch.lines.len() as u64;
    true
}

/// Read lines into `batch` until it is full, the input ends, or the next line does not fit
/// the budget beside it (that line is held for the next batch).
fn fill<R: BufRead>(input: &mut Input<R>, batch: &mut Batch, budget: &Budget) -> io::Result<()> {
    if let Some((line, bytes)) = input.held.take() {
        let cost = line_cost(bytes.len());
        if !budget.take(cost) {
            input.done = true;
            return Ok(());
        }
        batch.cost += cost;
        batch.lines.push(match line {
            Line::Token(_) => Line::Token(0..bytes.len()),
            other => other,
        });
        batch.bytes.extend_from_slice(&bytes);
    }
    while !batch.full() {
        let start = batch.bytes.len();
        let Some(line) = read_line(&mut input.input, &mut batch.bytes)? else {
            input.done = true;
            return Ok(());
        };
        let cost = line_cost(batch.bytes.len() - start);
        if !budget.try_take(cost) {
            if !batch.lines.is_empty() {
                // Everything charged must be on its way before waiting for the budget.
                input.held = Some((line, batch.bytes.split_off(start)));
                return Ok(());
            }
            if !budget.take(cost) {
                input.done = true;
                return Ok(());
            }
        }
        batch.cost += cost;
        batch.lines.push(line);
    }
    Ok(())
}

/// Write `rendered` if its turn has come (and every early batch behind it), else keep it for
/// later; a buffer to render the next batch into.
fn deliver<R>(shared: &Shared<'_, R>, rendered: Rendered) -> Vec<u8> {
    let mut output = lock(&shared.output);
    if output.error.is_some() {
        shared.budget.release(rendered.cost);
        return Vec::new();
    }
    if rendered.seq != output.seq {
        output.early.insert(rendered.seq, rendered);
        return Vec::new();
    }
    let mut current = rendered;
    loop {
        let written = output.out.write_all(&current.text);
        shared.budget.release(current.cost);
        output.seq += 1;
        output.summary.merge(std::mem::take(&mut current.summary));
        let total = output.summary.total;
        (output.progress)(total);
        if let Err(err) = written {
            // A closed pipe: every worker stops at its next batch.
            output.error = Some(err);
            shared.budget.close();
            lock(&shared.input).done = true;
            return Vec::new();
        }
        let next = output.seq;
        match output.early.remove(&next) {
            Some(early) => current = early,
            None => return current.text,
        }
    }
}

/// Append one line without its terminator to `bytes`; past the cap, the rest of the line is
/// drained and counted, and nothing is appended.
fn read_line<R: BufRead>(input: &mut R, bytes: &mut Vec<u8>) -> io::Result<Option<Line>> {
    let start = bytes.len();
    let read = Read::take(&mut *input, MAX_TOKEN_BYTES + 2).read_until(b'\n', bytes)?;
    if read == 0 {
        return Ok(None);
    }
    let ended = bytes.last() == Some(&b'\n');
    if !ended && read as u64 > MAX_TOKEN_BYTES {
        bytes.truncate(start);
        return drain(input, MAX_TOKEN_BYTES + 2).map(|size| Some(Line::TooLarge(size)));
    }
    if ended {
        bytes.pop();
    }
    if bytes[start..].iter().all(u8::is_ascii_whitespace) {
        bytes.truncate(start);
        return Ok(Some(Line::Empty));
    }
    Ok(Some(Line::Token(start..bytes.len())))
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
fn judge(line: &Line, bytes: &[u8], verify: &impl Fn(&[u8]) -> Verdict) -> Option<Verdict> {
    match line {
        Line::Empty => None,
        Line::Token(range) => Some(verify(&bytes[range.clone()])),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn token(line: Option<Line>, bytes: &[u8]) -> Option<Vec<u8>> {
        match line {
            Some(Line::Token(range)) => Some(bytes[range].to_vec()),
            _ => None,
        }
    }

    #[test]
    fn lines_over_the_cap_are_drained_and_sized() {
        let mut input = Vec::new();
        input.extend(b"a.b.c\n");
        input.extend(vec![b'x'; MAX_TOKEN_BYTES as usize + 10]);
        input.extend(b"\n  \nd.e.f");
        let mut reader = io::BufReader::new(input.as_slice());
        let mut bytes = Vec::new();
        let line = read_line(&mut reader, &mut bytes).unwrap();
        assert_eq!(token(line, &bytes).as_deref(), Some(&b"a.b.c"[..]));
        assert!(
            matches!(read_line(&mut reader, &mut bytes).unwrap(), Some(Line::TooLarge(n)) if n == MAX_TOKEN_BYTES + 10)
        );
        assert!(matches!(
            read_line(&mut reader, &mut bytes).unwrap(),
            Some(Line::Empty)
        ));
        let line = read_line(&mut reader, &mut bytes).unwrap();
        assert_eq!(token(line, &bytes).as_deref(), Some(&b"d.e.f"[..]));
        assert_eq!(bytes, b"a.b.cd.e.f");
        assert!(read_line(&mut reader, &mut bytes).unwrap().is_none());
    }

    /// Many batches over many threads, a budget small enough to hold lines back: every line
    /// once, in order.
    #[test]
    fn order_is_kept_across_workers() {
        let input: String = (0..5000)
            .map(|i| {
                if i % 7 == 0 {
                    "\n".to_string()
                } else {
                    format!("t{i}\n")
                }
            })
            .collect();
        let verify = |_: &[u8]| Verdict::default();
        let render = |_: &Verdict, line: u64, out: &mut Vec<u8>| {
            out.extend(format!("{line}\n").as_bytes());
        };
        for jobs in [1, 2, 7] {
            let mut out = Vec::new();
            let summary = run(
                input.as_bytes(),
                &mut out,
                &verify,
                jobs,
                render,
                &mut |_| {},
            )
            .unwrap();
            let expected: String = (1..=5000)
                .filter(|i| (i - 1) % 7 != 0)
                .map(|i| format!("{i}\n"))
                .collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "--jobs {jobs}");
            assert_eq!(summary.total, 5000 - 715);
            assert_eq!(summary.workers, jobs);
        }
    }
}
