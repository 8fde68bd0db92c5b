//! Verifying a stream of tokens, one per line, on every core, in input order, in constant
//! memory.
//!
//! A pipeline: one reader thread cuts the input into small batches of lines and deals them
//! round-robin to the workers over bounded channels; each worker verifies and renders its
//! batch; the writer (the calling thread) takes the results back from the workers in the same
//! round-robin order. Order is kept without a reorder buffer, and at most a few batches per
//! worker are in flight, whatever the size of the input.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::core::token::MAX_TOKEN_BYTES;
use crate::core::verify::{Failure, Reason, Verdict};

/// Lines per batch: large enough to make channel traffic negligible, small enough to keep
/// all workers busy near the end of the input.
const BATCH_LINES: usize = 256;

/// Batches queued per worker, each way.
const QUEUE_DEPTH: usize = 4;

/// What a run found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub total: u64,
    /// Valid tokens.
    pub valid: u64,
    /// Rejections by reason.
    pub by_reason: BTreeMap<Reason, u64>,
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

/// One line of input: its 1-based number and its bytes, or how large it was when over the cap.
enum Line {
    Token(Vec<u8>),
    TooLarge(u64),
}

struct Batch {
    first_line: u64,
    lines: Vec<Line>,
}

struct Rendered {
    text: Vec<u8>,
    summary: Summary,
}

/// Judge every line of `input` with `jobs` workers, writing `render(verdict, line number)`
/// for each line to `out` in input order. `progress` is called with the count so far after
/// each batch is written.
pub fn run<R, J, F>(
    input: R,
    out: &mut dyn Write,
    judge: &J,
    jobs: usize,
    render: F,
    progress: &mut dyn FnMut(u64),
) -> io::Result<Summary>
where
    R: BufRead + Send,
    J: Fn(&[u8]) -> Verdict + Sync,
    F: Fn(&Verdict, u64) -> Vec<u8> + Sync,
{
    let jobs = jobs.max(1);
    std::thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(jobs);
        let mut from_workers = Vec::with_capacity(jobs);
        for _ in 0..jobs {
            let (batch_tx, batch_rx) = sync_channel::<Batch>(QUEUE_DEPTH);
            let (result_tx, result_rx) = sync_channel::<Rendered>(QUEUE_DEPTH);
            let render = &render;
            scope.spawn(move || work(batch_rx, result_tx, judge, render));
            to_workers.push(batch_tx);
            from_workers.push(result_rx);
        }
        let reader = scope.spawn(move || read(input, to_workers));
        let mut summary = Summary::default();
        let written = write_in_order(&from_workers, out, &mut summary, progress);
        // If writing failed (a closed pipe), dropping the receivers stops workers and reader.
        drop(from_workers);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.and(read).map(|()| summary)
    })
}

fn read<R: BufRead>(mut input: R, workers: Vec<SyncSender<Batch>>) -> io::Result<()> {
    let mut next_line = 1;
    for worker in workers.iter().cycle() {
        let mut lines = Vec::with_capacity(BATCH_LINES);
        while lines.len() < BATCH_LINES {
            match read_line(&mut input)? {
                Some(line) => lines.push(line),
                None => break,
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        let count = lines.len() as u64;
        if worker
            .send(Batch {
                first_line: next_line,
                lines,
            })
            .is_err()
        {
            return Ok(()); // the writer stopped
        }
        next_line += count;
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
        let mut size = line.len() as u64;
        loop {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (used, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buf.len(), false),
            };
            size += used as u64 - u64::from(done);
            input.consume(used);
            if done {
                break;
            }
        }
        return Ok(Some(Line::TooLarge(size)));
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    Ok(Some(Line::Token(line)))
}

fn work<J, F>(batches: Receiver<Batch>, results: SyncSender<Rendered>, judge: &J, render: &F)
where
    J: Fn(&[u8]) -> Verdict,
    F: Fn(&Verdict, u64) -> Vec<u8>,
{
    for batch in batches {
        let mut rendered = Rendered {
            text: Vec::with_capacity(batch.lines.len() * 128),
            summary: Summary::default(),
        };
        for (i, line) in batch.lines.iter().enumerate() {
            let verdict = match line {
                Line::Token(bytes) => judge(bytes),
                Line::TooLarge(size) => Verdict {
                    failures: vec![Failure {
                        reason: Reason::Malformed,
                        message: format!(
                            "token is too large: {size} bytes, over the {MAX_TOKEN_BYTES}-byte limit"
                        ),
                    }],
                    ..Verdict::default()
                },
            };
            rendered.summary.count(&verdict);
            rendered
                .text
                .extend(render(&verdict, batch.first_line + i as u64));
        }
        if results.send(rendered).is_err() {
            return;
        }
    }
}

fn write_in_order(
    workers: &[Receiver<Rendered>],
    out: &mut dyn Write,
    summary: &mut Summary,
    progress: &mut dyn FnMut(u64),
) -> io::Result<()> {
    // The reader dealt batches round-robin, so taking them back round-robin restores order.
    // A worker's channel closes when the reader is done with it: then every later one is too.
    for worker in workers.iter().cycle() {
        let Ok(rendered) = worker.recv() else { break };
        out.write_all(&rendered.text)?;
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
