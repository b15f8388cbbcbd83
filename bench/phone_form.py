"""Benchmark of the public form on a throttled phone: Largest Contentful Paint and bytes, against the bare
view in the same server.

    DATABASE_URL=postgres://…/linli_bench python -m bench.phone_form --rounds 4

PostgreSQL, production settings under gunicorn (bench.public_pages.gunicorn). Headless Chromium
(/usr/bin/chromium, or PLAYWRIGHT_CHROMIUM) at 360×640 with DevTools' "Fast 3G" network (562.5 ms
latency, 1.44 Mbit/s down) and a 4× slower CPU, a cold cache each load; pages in turn, A B A B.
The server sends the HTML uncompressed as gunicorn does; in production the proxy compresses it
(deploy/nginx.conf.template), so the bytes here are an upper bound. Prints the median LCP, the bytes
and the requests of each page, and the LCP's ratio to the bare page's; never asserts.
"""

import argparse
import os
import statistics

import django

from bench.public_pages import gunicorn

URLS = {"bare": "/bench/bare/", "form": "/petitions/new/", "board": "/petitions/"}
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}

# The last LCP candidate once the page has loaded, and what the page fetched.
MEASURE = """() => new Promise(done => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    const lcp = entries[entries.length - 1];
    const resources = performance.getEntriesByType("resource");
    const nav = performance.getEntriesByType("navigation")[0];
    done({
      lcp: lcp.startTime,
      bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
      requests: 1 + resources.length,
    });
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


def load(browser, url):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="load")
    result = page.evaluate(MEASURE)
    context.close()
    return result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--port", type=int, default=8762)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.db import connection
    from playwright.sync_api import sync_playwright

    from bench.data import ensure_items

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    ensure_items()
    connection.close()
    executable = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
    results = {name: [] for name in URLS}
    with gunicorn(args.port, URLS.values()) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for _ in range(args.rounds):
            for name, path in URLS.items():
                results[name].append(load(browser, base + path))
        browser.close()
    bare = statistics.median(r["lcp"] for r in results["bare"])
    print(f"360×640, Fast 3G, 4× CPU, cold cache, {args.rounds} loads each (median)")
    for name, path in URLS.items():
        lcp = statistics.median(r["lcp"] for r in results[name])
        last = results[name][-1]
        print(
            f"  {path:<16} LCP {lcp:6.0f} ms   {last['bytes'] / 1024:5.1f} KB in {last['requests']} requests"
            f"   {lcp / bare:4.2f}× bare"
        )


if __name__ == "__main__":
    main()
