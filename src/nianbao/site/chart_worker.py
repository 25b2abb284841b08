"""The process that draws charts: Vega-Lite specs in, SVG out, one JSON object a line each way.

Run by path (`python chart_worker.py`), it imports nothing of nianbao. vl-convert runs its JavaScript engine on
a thread of its own, which a forked process cannot use (the site's pages are made in forked workers): so no
build process ever loads vl-convert, and each one that draws charts talks to a worker of its own
(site/chart_svg.py starts it).
"""

import json
import sys


def main() -> None:
    import vl_convert
    for line in sys.stdin:
        try:
            answer = {"svg": vl_convert.vegalite_to_svg(json.loads(line))}
        except Exception as exc:  # noqa: BLE001 — any failure goes back to the build, which raises it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
