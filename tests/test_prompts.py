"""`pufa log` on a terminal: the installed script in a real pseudo-terminal, prompts answered."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from pufa import workspace as ws

from .conftest import TODAY_2026, invoke, invoke_ok

pytestmark = pytest.mark.slow


def _controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pseudo-terminal (stdin), and
    Ctrl-C's default action even when the suite was started in the background (where a shell
    without job control starts it with SIGINT ignored, and Python then never raises
    KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``pufa ARGS`` with stdin, stdout and stderr on a pseudo-terminal; read, answer, wait."""

    def __init__(self, root: Path, *args: str) -> None:
        script = Path(sys.executable).with_name("pufa")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "pufa"]
        env = {**os.environ, "PUFA_NOW": TODAY_2026, "PUFA_USER": "测试员", "COLUMNS": "100"}
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [*command, "-w", str(root), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            preexec_fn=_controlling_terminal,  # Ctrl-C becomes SIGINT, as in a real terminal
        )
        os.close(slave)
        self.seen = b""

    def expect(self, text: str, timeout: float = 20) -> None:
        """Read until ``text`` has appeared since the last answer."""
        end = time.monotonic() + timeout
        while text.encode() not in self.seen:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:  # the command ended
                    break
            assert time.monotonic() < end, f"no {text!r} in:\n{self.seen.decode()}"
        assert text.encode() in self.seen, self.seen.decode()

    def answer(self, prompt: str, text: str) -> None:
        """Wait for ``prompt``, then type ``text`` and Enter."""
        self.expect(prompt)
        self.seen = b""
        os.write(self.master, text.encode() + b"\r")

    def drain_until_exit(self, seconds: float) -> bool:
        """Keep reading what the command shows (so it never blocks writing to the terminal) for up
        to ``seconds``; whether it has ended."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                return True
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:
                    return self.process.poll() is not None
        return self.process.poll() is not None

    def finish(self) -> tuple[int, str]:
        """The exit status and everything shown since the last answer."""
        status = self.process.wait(timeout=20)
        while select.select([self.master], [], [], 0.1)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk
        os.close(self.master)
        return status, self.seen.decode()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A fresh SQLite workspace of 开阳县."""
    return ws.init(tmp_path / "ws").root


def _records(root: Path) -> list[dict[str, object]]:
    return json.loads(invoke_ok(root, "list", "--json").output)  # type: ignore[no-any-return]


def test_log_asks_for_every_missing_field(root: Path, today: None) -> None:
    """Kind, date, place (禾 → 禾丰乡), venue, title and measures asked; the record stored."""
    term = Terminal(root, "log")
    term.answer("活动类型(", "1")
    term.answer("日期(", "昨天")
    term.expect("日期:2026-11-28(昨天)")
    term.answer("地点(", "禾")
    term.expect("→ 禾丰乡")
    term.answer("村(居)(", "")
    term.answer("进(输编号", "学校")
    term.answer("标题:", "法律进校园")
    term.answer("参与人次(", "320")
    term.answer("发放资料(", "")
    term.answer("标语横幅(", "")
    term.expect("请核对")
    term.answer("保存吗", "是")
    status, shown = term.finish()
    assert status == 0, shown
    [record] = _records(root)
    assert (record["start"], record["owner_label"], record["measures"]) == (
        "2026-11-28",
        "禾丰布依族苗族乡",
        {"sessions": 1, "participants": 320},
    )


def test_village_is_picked_by_its_first_characters(root: Path, today: None) -> None:
    """After the township, its villages are listed; 马 picks 马头村, which is stored."""
    term = Terminal(root, "log", "lecture", "-d", "今天", "--title", "法治讲座进村")
    term.answer("地点(", "禾")
    term.expect("马头村")
    term.answer("村(居)(", "马")
    term.expect("→ 马头村")
    term.answer("参与人次(", "80")
    term.answer("发放资料(", "")
    term.answer("保存吗", "是")
    status, shown = term.finish()
    assert status == 0, shown
    [record] = _records(root)
    assert record["village"] == {"code": "520121206201", "name": "马头村"}


def test_log_asks_only_for_what_is_missing(root: Path, today: None) -> None:
    """Given kind, date and place, only the title and the measures are asked."""
    term = Terminal(root, "log", "lecture", "-d", "前天", "-t", "禾丰乡")
    term.answer("标题:", "法治讲座进村")
    term.answer("参与人次(", "80")
    term.answer("发放资料(", "")
    term.answer("保存吗", "是")
    status, shown = term.finish()
    assert status == 0, shown
    assert "地点(" not in shown
    [record] = _records(root)
    assert (record["title"], record["start"]) == ("法治讲座进村", "2026-11-27")


def test_wrong_answer_is_asked_again(root: Path, today: None) -> None:
    """A count that is not a number is explained and asked again."""
    term = Terminal(
        root, "log", "literate-training", "-d", "今天", "-t", "禾丰乡", "--title", "培训"
    )
    term.answer("参训人次(", "很多")
    term.answer("请重新输入", "45")
    term.answer("获证人数(", "")
    term.answer("发放资料(", "")
    term.answer("保存吗", "是")
    assert term.finish()[0] == 0
    assert _records(root)[0]["measures"] == {"sessions": 1, "trainees": 45}


def test_answering_no_saves_nothing(root: Path, today: None) -> None:
    """否 at the end writes nothing and says so."""
    term = Terminal(root, "log", "lecture", "-d", "今天", "-t", "禾丰乡")
    term.answer("标题:", "讲座")
    term.answer("参与人次(", "")
    term.answer("发放资料(", "")
    term.answer("保存吗", "否")
    status, shown = term.finish()
    assert (status, "没有保存" in shown, _records(root)) == (1, True, [])


def test_ctrl_c_saves_nothing(root: Path, today: None) -> None:
    """Ctrl-C at a prompt ends the command with nothing written."""
    term = Terminal(root, "log")
    term.expect("活动类型(")
    for _ in range(30):  # a signal that lands just before the read starts waits for the next key
        os.write(term.master, b"\x03")
        if term.drain_until_exit(2):  # a busy machine (the whole suite on 2 cores) is slow
            break
    status, shown = term.finish()
    assert (status, "已取消" in shown, _records(root)) == (1, True, [])


def test_end_of_input_saves_nothing(root: Path, today: None) -> None:
    """End of input (Ctrl-D) at a prompt ends the command with nothing written."""
    term = Terminal(root, "log", "lecture")
    term.expect("日期(")
    os.write(term.master, b"\x04")
    status, _ = term.finish()
    assert (status, _records(root)) == (1, [])


def test_no_input_refuses_on_a_terminal(root: Path, today: None) -> None:
    """--no-input on a terminal keeps the refuse-with-message behaviour."""
    term = Terminal(root, "log", "lecture", "--no-input")
    status, shown = term.finish()
    assert (status, "标题" in shown, "必填" in shown, _records(root)) == (1, True, True, [])


def test_without_a_terminal_missing_kind_is_refused(root: Path, today: None) -> None:
    """Off a terminal, `pufa log` without a kind says the kind is required; nothing written."""
    result = invoke(root, "log")
    assert (result.exit_code, "必填" in result.output, _records(root)) == (1, True, [])


def test_spoken_date_is_echoed_and_stored(root: Path, today: None) -> None:
    """`--date 上周五` is stored as the full date and echoed back on stderr."""
    result = invoke_ok(root, "log", "lecture", "-d", "上周五", "-t", "禾丰乡", "--title", "讲座")
    assert "日期:2026-11-20(上周五)" in result.stderr
    assert _records(root)[0]["start"] == "2026-11-20"


def test_complete_record_on_a_terminal_is_saved_without_asking(root: Path, today: None) -> None:
    """With nothing missing, `pufa log` on a terminal saves at once, asking nothing."""
    term = Terminal(root, "log", "lecture", "-d", "今天", "-t", "禾丰乡", "--title", "讲座")
    status, shown = term.finish()
    assert (status, "保存吗" in shown, len(_records(root))) == (0, False, 1)


def test_wrong_given_value_is_reported_not_asked(root: Path, today: None) -> None:
    """On a terminal, a given value that is wrong is an error at once: nothing is asked."""
    term = Terminal(root, "log", "lecture", "-t", "火星乡")
    status, shown = term.finish()
    assert (status, "错误:" in shown, "标题:" in shown, _records(root)) == (1, True, False, [])
