"""Quick-start smoke test: start the development server on a free port, then, as a person
would with a browser, fetch the login page, sign in as the demo clerk and open the home page
and the directory. Run from a checkout whose database holds the demo data."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.getcwd())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"smoke: the server did not answer at {url}")


def main() -> int:
    from config.settings import DEMO_PASSWORD  # the same password seed_demo set

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"{base}/healthz")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login_page = browser.open(f"{base}/tai-khoan/dang-nhap/").read().decode()
        assert "Đăng nhập" in login_page, "login page is not the Vietnamese login page"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "clerk", "password": DEMO_PASSWORD, "next": "/"}
        ).encode()
        request = urllib.request.Request(
            f"{base}/tai-khoan/dang-nhap/", data=form, headers={"Referer": f"{base}/tai-khoan/dang-nhap/"}
        )
        home = browser.open(request).read().decode()
        assert "Trần Thị Thu Hà" in home and "Văn phòng: hội nghị và ý kiến" in home, "clerk home not reached"
        directory = browser.open(f"{base}/tai-khoan/don-vi/?q=bo+de").read().decode()
        assert "Phường Bồ Đề" in directory, "directory search failed"
        css = browser.open(f"{base}/static/vendor/bootstrap-5.3.9.min.css")
        assert css.status == 200
        print("smoke: login page, clerk home, directory search and static files OK at", base)
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
