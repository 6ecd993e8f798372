"""Headless Chromium driven through chromedriver with the plain W3C WebDriver HTTP protocol (`requests`, no
Selenium). Fake camera and microphone: Chromium's test pattern, and a beep or a given WAV file."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

import requests

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT_SECONDS = 15
COMMAND_TIMEOUT_SECONDS = 60  # HTTP timeout of one WebDriver command (session creation starts the browser)
SCRIPT_TIMEOUT_SECONDS = 30
POLL_SECONDS = 0.25
BASE_ARGS = (
    "--headless=new", "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--no-default-browser-check",
)


def missing_browser() -> Optional[str]:
    """Why the browser tests cannot run here (None when chromium and chromedriver are installed)."""
    absent = [path for path in (CHROMEDRIVER, CHROMIUM) if shutil.which(path) is None]
    return f"not installed: {', '.join(absent)} (Debian packages chromium, chromium-driver)" if absent else None


class WebDriverError(Exception):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One chromedriver process and one browser session. Use as a context manager: leaving it always deletes the
    session and stops chromedriver.

    `fake_audio_file`: a WAV file the fake microphone plays (looped) instead of Chromium's beep."""

    def __init__(self, extra_args: Sequence[str] = (), fake_audio_file: Optional[Path] = None):
        self.args = list(BASE_ARGS) + list(extra_args)
        if fake_audio_file is not None:
            self.args.append(f"--use-file-for-fake-audio-capture={fake_audio_file}")
        self.http = requests.Session()
        self.http.trust_env = False
        self.process = None
        self.session_id = None
        self.url = None
        self._log = None

    def __enter__(self) -> "Browser":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self) -> None:
        port = _free_port()
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise WebDriverError(f"chromedriver did not become ready within {START_TIMEOUT_SECONDS} s "
                                     f"(exit code {self.process.poll()}): {self.driver_log()}")
            time.sleep(POLL_SECONDS)
        capabilities = {"browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL"},
                        "goog:chromeOptions": {"binary": CHROMIUM, "args": self.args}}
        created = self._command("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session_id = created["sessionId"]
        self._command("POST", f"/session/{self.session_id}/timeouts", {"script": SCRIPT_TIMEOUT_SECONDS * 1000})

    def _ready(self) -> bool:
        try:
            return self.http.get(f"{self.url}/status", timeout=2).json()["value"]["ready"]
        except (requests.RequestException, ValueError, KeyError):
            return False

    def close(self) -> None:
        """Deletes the session and stops chromedriver (each step even if the one before failed)."""
        try:
            if self.session_id is not None:
                self._command("DELETE", f"/session/{self.session_id}", timeout=20)
        except (WebDriverError, requests.RequestException):
            pass
        finally:
            self.session_id = None
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            if self._log is not None:
                self._log.close()
                self._log = None

    def driver_log(self, limit: int = 2000) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-limit:]

    def _command(self, method: str, path: str, body: Optional[dict] = None,
                 timeout: float = COMMAND_TIMEOUT_SECONDS):
        response = self.http.request(method, f"{self.url}{path}", json=body, timeout=timeout)
        try:
            payload = response.json()
        except ValueError:
            raise WebDriverError(f"{method} {path}: {response.status_code} {response.text[:500]}") from None
        value = payload.get("value")
        if response.status_code != 200:
            error = value if isinstance(value, dict) else {}
            raise WebDriverError(f"{method} {path}: {error.get('error')}: {str(error.get('message'))[:1500]}")
        return value

    # ------------------------------------------------------------------ the page

    def open(self, url: str) -> None:
        self._command("POST", f"/session/{self.session_id}/url", {"url": url})

    def execute(self, script: str, *args):
        """Runs a function body synchronously in the page (`arguments` holds `args`); returns its value."""
        return self._command("POST", f"/session/{self.session_id}/execute/sync", {"script": script, "args": list(args)})

    def execute_async(self, script: str, *args):
        """Runs a function body whose last argument is the callback to call with the result (script timeout
        30 s)."""
        return self._command("POST", f"/session/{self.session_id}/execute/async",
                             {"script": script, "args": list(args)}, timeout=SCRIPT_TIMEOUT_SECONDS + 10)

    def evaluate(self, expression: str, *args):
        """Awaits a JavaScript expression (a promise or a value) in the page; a rejection raises WebDriverError."""
        script = (f"const done = arguments[arguments.length - 1];"
                  f"Promise.resolve().then(() => ({expression})).then((value) => done({{ok: true, value}}),"
                  f" (e) => done({{ok: false, error: String(e && e.stack || e)}}));")
        result = self.execute_async(script, *args)
        if not result["ok"]:
            raise WebDriverError(f"{expression}: {result['error']}")
        return result["value"]

    def wait_for(self, expression: str, timeout: float, what: str):
        """Polls an expression until it is truthy; returns its value, or raises saying what did not happen."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.evaluate(expression)
            if last:
                return last
            time.sleep(POLL_SECONDS)
        raise AssertionError(f"{what} did not happen within {timeout} s (last value {last!r}); "
                             f"browser console: {self.console_log()[-20:]}")

    def console_log(self) -> list:
        """The browser console messages since the last call (chromedriver's log endpoint), best effort."""
        try:
            entries = self._command("POST", f"/session/{self.session_id}/se/log", {"type": "browser"}, timeout=10)
        except (WebDriverError, requests.RequestException) as error:
            return [f"(console log unavailable: {error})"]
        return [f"{entry.get('level')} {entry.get('message')}" for entry in entries]
