"""The browser client as a browser loads it: the demo page imports /clients/js/parley-video.js, and every module it
imports (relative specifiers, recursively) is served as JavaScript."""

import re

import requests

IMPORT = re.compile(r"""(?:import|export)\s[^'"]*?from\s+['"](\./[^'"]+)['"]""")


def test_demo_page_and_every_module_it_loads(base_url):
    session = requests.Session()
    session.trust_env = False
    page = session.get(f"{base_url}/demo/video", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/clients/js/parley-video.js" in page.text
    pending, loaded = ["parley-video.js"], set()
    while pending:
        name = pending.pop()
        if name in loaded:
            continue
        response = session.get(f"{base_url}/clients/js/{name}", timeout=10)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/javascript")
        loaded.add(name)
        pending += [specifier[2:] for specifier in IMPORT.findall(response.text)]
    print("modules served:", sorted(loaded))
    assert len(loaded) >= 2
    assert session.get(f"{base_url}/clients/js/missing.js", timeout=10).status_code == 404
