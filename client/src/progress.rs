//! Progress of long operations on standard error, for the command-line tools: `done/total`,
//! the rate and the time left, redrawn at most four times a second, so standard output stays
//! clean for the data.

use std::{
	io::{IsTerminal, Write},
	time::{Duration, Instant},
};

/// A progress line for `total` steps of `what`.
pub struct Progress {
	what: String,
	total: u64,
	done: u64,
	started: Instant,
	drawn: Option<Instant>,
	terminal: bool,
}

impl Progress {
	/// Starts counting `total` steps (`what` names a step, e.g. "blocks").
	pub fn new(what: &str, total: u64) -> Self {
		Self {
			what: what.to_string(),
			total,
			done: 0,
			started: Instant::now(),
			drawn: None,
			terminal: std::io::stderr().is_terminal(),
		}
	}

	/// `n` more steps done.
	pub fn advance(&mut self, n: u64) {
		self.done = self.done.saturating_add(n).min(self.total);
		let every = if self.terminal { Duration::from_millis(250) } else { Duration::from_secs(5) };
		if self.drawn.is_none_or(|at| at.elapsed() >= every) {
			self.draw();
		}
	}

	/// The line as it reads now.
	pub fn line(&self) -> String {
		let secs = self.started.elapsed().as_secs_f64().max(1e-3);
		let rate = self.done as f64 / secs;
		let left = self.total.saturating_sub(self.done);
		let eta = if rate > 0.0 { format!("{:.0}s", left as f64 / rate) } else { "?".into() };
		let percent = (self.done * 100).checked_div(self.total).unwrap_or(100);
		format!("{}/{} {} ({percent}%), {rate:.1}/s, {eta} left", self.done, self.total, self.what)
	}

	fn draw(&mut self) {
		self.drawn = Some(Instant::now());
		let mut err = std::io::stderr();
		if self.terminal {
			let _ = write!(err, "\r\x1b[2K{}", self.line());
		} else {
			let _ = writeln!(err, "{}", self.line());
		}
		let _ = err.flush();
	}

	/// Draws the final line and ends it.
	pub fn finish(mut self) {
		self.draw();
		if self.terminal {
			let _ = writeln!(std::io::stderr());
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn line_counts_steps_and_caps_at_the_total() {
		let mut p = Progress::new("blocks", 10);
		p.terminal = false;
		p.drawn = Some(Instant::now());
		p.advance(4);
		assert!(p.line().starts_with("4/10 blocks (40%)"), "{}", p.line());
		p.advance(20);
		assert!(p.line().starts_with("10/10 blocks (100%)"), "{}", p.line());
		assert!(p.line().ends_with("0s left"), "{}", p.line());
	}
}
