"""What the Batch screen says while sending and after: rate, time left, and what to do next."""

from __future__ import annotations

from fintoc_tui.batch.runner import BatchOutcome, Progress
from fintoc_tui.ui.batch.batch_words import ending, progress_line, resume_note, time_left


def progress(**changes) -> Progress:
    values = dict(
        phase="sending", total=1000, made=400, refused=2, unknown=1, queued=590, in_flight=7,
        pending=400, rate=9.84, eta_seconds=60.4, rate_limited=0,
    )  # fmt: skip
    values.update(changes)
    return Progress(**values)


def outcome(**changes) -> BatchOutcome:
    values = dict(
        total=10, made=10, refused=0, unknown=0, queued=0, pending=0, paused=False, stopped=None,
        by_status={"succeeded": 10},
    )  # fmt: skip
    values.update(changes)
    return BatchOutcome(**values)


def test_time_left_in_words():
    assert time_left(None) == "time left unknown"
    assert time_left(4.4) == "about 4 s left"
    assert time_left(59.6) == "about 1 min 00 s left"
    assert time_left(125) == "about 2 min 05 s left"


def test_the_progress_line_has_the_rate_against_the_limit_and_the_time_left():
    line = progress_line(progress(), 10)
    assert line == (
        "402 of 1000 rows · 9.8/s (limit 10/s) · about 1 min 00 s left · 7 in flight · "
        "2 refused · 1 unknown"
    )
    assert "3×429" in progress_line(progress(rate_limited=3), 10)
    assert progress_line(progress(phase="following"), 10).startswith("400 made · 400 still pending")


def test_every_ending_says_what_to_do_next():
    done = ending(outcome())
    assert (done.title, done.kind, done.advice) == (
        "Done: all 10 rows have a transfer.",
        "done",
        [],
    )
    paused = ending(
        outcome(made=4, queued=6, paused=True, by_status={"succeeded": 4, "not_sent": 6})
    )
    assert paused.title == "Paused with 4 of 10 rows made."
    assert "rows already paid are skipped" in paused.advice[0]
    unknown = ending(outcome(made=8, unknown=2, by_status={"succeeded": 8, "unknown": 2}))
    assert unknown.kind == "warning"
    assert "may have been made" in unknown.advice[0] and "never pays twice" in unknown.advice[0]
    assert "fail" not in " ".join([unknown.title, *unknown.advice]).lower()
    refused = ending(outcome(made=9, refused=1, by_status={"succeeded": 9, "refused": 1}))
    assert refused.title == "1 of 10 rows were refused by Fintoc."
    assert "no transfer was made" in refused.advice[0] and "new keys" in refused.advice[0]
    stopped = ending(outcome(made=3, queued=7, stopped="cannot reach Fintoc: timed out"))
    assert stopped.title == "Stopped: cannot reach Fintoc: timed out" and stopped.kind == "error"
    assert "Nothing is lost" in stopped.advice[0]
    pending = ending(outcome(pending=3, by_status={"succeeded": 7, "pending": 3}))
    assert pending.statuses == "3 pending, 7 succeeded"
    assert "3 transfers are still pending" in pending.advice[0]


def test_a_resumed_file_says_what_the_earlier_run_left():
    assert resume_note(0, {}) == ""
    note = resume_note(5, {"unknown": 2, "queued": 3, "refused": 1})
    assert note.startswith("Resuming an earlier run of this file: 5 already paid (skipped); ")
    assert "2 may already have been made: asked again with the same key, never paid twice" in note
    assert "3 not sent yet" in note and "1 refused before: sent again with new keys" in note


def test_the_rate_shown_never_reads_above_the_limit_rows_are_spaced_by():
    """The runner's window holds both its ends, so a steady 10/s can measure 10.7/s early on."""
    assert progress_line(progress(rate=10.7), 10).split(" · ")[1] == "10.0/s (limit 10/s)"
    assert progress_line(progress(rate=4.25), 10).split(" · ")[1] == "4.2/s (limit 10/s)"


def test_following_says_how_to_stop_and_that_nothing_is_lost():
    line = progress_line(progress(phase="following", made=48, pending=20), 10)
    assert line.startswith("48 made · 20 still pending · p stops following")


def test_stopping_the_follow_up_with_every_row_sent_is_done_not_paused():
    """`p` while only statuses are followed: nothing is left to resume, so it is no pause."""
    words = ending(outcome(made=48, total=48, pending=48, paused=True, by_status={"pending": 48}))
    assert (words.title, words.kind) == ("Done: all 48 rows have a transfer.", "done")
    assert "48 transfers are still pending" in words.advice[0]
    assert not any("send the rest" in line for line in words.advice)
