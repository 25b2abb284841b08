"""The process that draws charts: Vega-Lite specs (with their rows as data values) in, SVG out, one JSON object
a line each way.

Run by path (`python chart_worker.py`), it imports nothing of nianbao. vl-convert runs its JavaScript engine on
a thread of its own, which a forked process cannot use (the site's pages are made in forked workers): so no
build process ever loads vl-convert, and each one that draws charts talks to a worker of its own
(site/chart_svg.py starts it).

A site's charts are a few shapes with different rows, so each shape is compiled to Vega once and drawn with
each chart's rows (a third of the time a chart took). The description is left out of the shape: the SVG's
name is set by chart_svg.py.
"""

import json
import sys

ROWS = "rows"     # the name of the compiled shape's data, filled with each chart's rows


def main() -> None:
    import vl_convert
    shapes: dict[str, dict] = {}
    for line in sys.stdin:
        try:
            spec = json.loads(line)
            rows = spec.pop("data")["values"]
            spec.pop("description", None)
            key = json.dumps(spec, sort_keys=True)
            if key not in shapes:
                shapes[key] = vl_convert.vegalite_to_vega({**spec, "data": {"name": ROWS}})
            shape = shapes[key]
            data = [{**d, "values": rows} if d.get("name") == ROWS else d for d in shape["data"]]
            answer = {"svg": vl_convert.vega_to_svg({**shape, "data": data})}
        except Exception as exc:  # noqa: BLE001 — any failure goes back to the build, which raises it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
