"""Write the notebooks under notebooks/ from the short definitions below (outputs never committed).

Every notebook is thin: a markdown title and the question first, markdown before each short code
cell, seeded data, no network. The apps themselves live in :mod:`roi_kit.widgets`.

    python scripts/build_notebooks.py          # (re)write every notebook
    python scripts/build_notebooks.py --check  # exit 1 if a committed notebook differs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

Cell = tuple[str, str]  # ("md" | "code", source)


def _app(title: str, question: str, intro: str, panel: str, extra: list[Cell] | None = None,
         *, args: str = 'sample="saas", show_title=False') -> list[Cell]:
    return [
        ("md", f"# {title}\n\n**Question:** {question}"),
        ("md", intro),
        ("code", f"from roi_kit.widgets import {panel}\n\napp = {panel}({args})\napp"),
        *(extra or []),
    ]


APPS: dict[str, list[Cell]] = {
    "00_start_here": [
        ("md", "# roi_kit — start here\n\n**Question:** what is social media worth to us, in "
               "money? Each app answers one part of it:\n\n"
               "| app | question |\n|---|---|\n"
               "| [ROI calculator](01_roi_calculator.ipynb) | did social pay for itself? |\n"
               "| [Followers vs non-followers](02_followers_vs_non_followers.ipynb) | are "
               "followers worth more — retention, upsell, deal size, time to close? |\n"
               "| [Funnel](03_funnel.ipynb) | where do prospects drop off, paid vs organic? |\n"
               "| [Attribution](04_attribution.ipynb) | how much revenue did each channel earn? |\n"
               "| [Content](05_content.ipynb) | which posts work, and when to post? |\n"
               "| [Management report](06_management_report.ipynb) | the one page for the "
               "manager, exportable as HTML |\n"
               "| [Incrementality](07_incrementality.ipynb) | what does each channel really "
               "return (marketing-mix model), and how would a lift test prove it? |\n\n"
               "Every app starts on the shipped sample data (a fictional B2B SaaS company, seed "
               "0) and lets you upload your own CSV or Excel exports instead."),
        ("md", "## Your data\n\nPick the sample or upload your exports; the table below shows what "
               "was read. For uploads, the load report lists every row that was dropped or "
               "changed, and why."),
        ("code", "from roi_kit.widgets import DataOverviewApp\n\nDataOverviewApp(sample=\"saas\", show_title=False)"),
    ],
    "01_roi_calculator": _app(
        "ROI calculator",
        "did social media pay for itself — on which platform, campaign and period?",
        "ROI % = (revenue attributed to social − total social cost) × 100 / total social cost. "
        "Costs come from the cost ledger (staff time × rate, tools, ads, agency, service credits, "
        "training); revenue is credited to social by Markov attribution on the touchpoints, "
        "taken from the value of followers, or typed in. **Break it down** by platform, "
        "campaign or period: the same social revenue is shared out (per platform by a second "
        "attribution run with each network as its own channel, per period by when conversions "
        "happened), and staff time and tools without a platform are spread in proportion to "
        "each platform's own cost unless you show them as their own row. **Direct + indirect "
        "ROI** (below the cost ledger) adds to the attributed sales the indirect return of the "
        "same dates — follower value, PPC-equivalent traffic (organic clicks at your own paid "
        "CPC) and service savings (type your cost per care case) — and shows the ROI of direct "
        "revenue alone and of the total, with the warning where two parts can count the same "
        "money twice. Change the dates or the revenue and every number, chart and download "
        "follows.",
        "RoiCalculatorApp",
    ),
    "02_followers_vs_non_followers": _app(
        "Followers vs non-followers",
        "are customers who follow us on social worth more, and how much in money?",
        "Follower status is fixed at a **landmark** day after acquisition (90 by default) and "
        "only customers still active then are compared: an \"ever followed\" comparison flatters "
        "followers, because customers who stay longer have more time to follow (immortal-time "
        "bias). Switch the definition to see the difference. The **adjusted** figures weight "
        "followers and non-followers to the same mix of company size, industry, region and "
        "channel; they show an association, not proof of cause. Below the answer, **Prospects** "
        "compares follower leads with other leads on every new deal — customers' and "
        "prospects' — (win rate, lead → customer conversion, sales cycle with open deals "
        "censored, pipeline velocity), and **Lifetime value by segment** gives each group's "
        "months active × revenue per month within the horizon you pick, with its interval.",
        "FollowersApp",
    ),
    "03_funnel": _app(
        "Funnel",
        "where do prospects drop off on the way to a sale, and does paid social bring people "
        "who convert?",
        "Pick the business model (B2B/SaaS, online shop, car dealership, shop with offline "
        "sales, awareness → purchase). Each stage counts the people who reached it in order "
        "within the window; step conversion carries a 95% Wilson interval. Split by paid vs "
        "organic, platform or channel, or filter to one platform.",
        "FunnelApp",
    ),
    "04_attribution": _app(
        "Attribution",
        "how much of the revenue did social earn?",
        "Rule-based models (first touch, last touch, last non-direct, linear, time decay, "
        "position-based, J-shaped, inverse J) credit touches by their position; the CRM "
        "milestone models (U-shaped, W-shaped, full path) credit the touches before the lead, the "
        "deal and the win, read from the deals table and the lead events; Markov removal effects (computed "
        "exactly, no simulation) and Shapley values also learn from the journeys that did not "
        "convert. Channels follow GA4-style default groups; add your own rule to split out a "
        "channel, e.g. LinkedIn.",
        "AttributionApp",
    ),
    "05_content": _app(
        "Content performance",
        "which posts work, when should we post, and what does boosting buy?",
        "Engagement rate has three common definitions — by impressions, by reach and by "
        "followers — and the app always names the one it uses. Top posts are ranked by the "
        "cautious end of their interval, so a post seen by ten people cannot win by luck; best "
        "times are shrunk towards each platform's average for the same reason. **Earned vs paid "
        "reach** (at the bottom) shows per campaign the shares, the reach beyond the followers and "
        "the organic reach a paid boost earned beyond the reach that was bought.",
        "ContentApp",
    ),
    "06_management_report": _app(
        "Management report",
        "are we on target, did social pay for itself, what are followers worth, and where does "
        "the funnel leak — on one page?",
        "The page opens with the **scorecard**: the KPIs (each tied to a goal and a funnel "
        "stage) with their pace, status and change against the same days of earlier periods; "
        "metrics without a goal are context, in the Excel download. A **direct + indirect ROI** "
        "section puts attributed sales, follower value, PPC-equivalent traffic and service "
        "savings into one statement (type your cost per care case to include the savings). "
        "The page below is the report itself. **Download report (HTML)** saves it as one "
        "self-contained file: the charts are drawn as pictures inside the file, so it opens "
        "offline, in an e-mail or on the intranet, and makes no request to the internet. The "
        "Excel download holds every table behind the numbers.",
        "ManagementReportApp",
    ),
    "07_incrementality": _app(
        "Incrementality",
        "what does each channel — organic social included — really return, where do returns "
        "flatten, and how would a lift test prove it?",
        "A marketing-mix model explains weekly revenue by a baseline (trend, season, price, "
        "promotions) plus each channel's spend with carry-over (adstock) and diminishing returns "
        "(saturation); each channel's ROAS (revenue per USD of cost) and ROI % (net return per "
        "USD 100 of cost, the same rule as `rk.roi`) come with a 90% interval. The page starts on a generated "
        "weekly table (`rk.datasets.generate_media_weekly(seed=0)`, 104 weeks, 6 paid channels "
        "and organic social); **Upload weekly file** takes yours (one row per week). The fit on "
        "the page is a quick one (8 chains) so it answers in seconds; run `rk.fit_mmm` with its "
        "defaults before a final decision. A model shows association over time; the **lift "
        "test** below plans and reads out the experiment that proves cause, and a finished test "
        "typed in at the bottom refits the model calibrated with it.",
        "IncrementalityApp", args="show_title=False",
    ),
}


def _exercise(n: int, title: str, task: str, setup: str, answer_hint: str, solution: str,
              check: str) -> tuple[list[Cell], list[Cell]]:
    """(exercise cells, solution cells) of one workshop notebook."""
    head: list[Cell] = [
        ("md", f"# Workshop {n} — {title}\n\n**Exercise:** {task}"),
        ("md", "Load the sample data (a fictional B2B SaaS company, seed 0)."),
        ("code", "import roi_kit as rk\nfrom roi_kit.workshop import *\n\n"
                 "data = rk.datasets.load_sample(\"saas\")\n" + setup),
        ("md", f"Your turn: {answer_hint} Replace the `...` with your calculation."),
    ]
    tail: list[Cell] = [("md", "Check your answer; the message says what is wrong, if anything."),
                        ("code", f"{check}(answer)")]
    return ([*head, ("code", "answer = ..."), *tail],
            [*head, ("code", solution), *tail])


WORKSHOP_DEFS = {
    "01_roi_by_hand": (
        1, "ROI by hand",
        "social media brought in USD 500,000 of revenue (`WORKSHOP_REVENUE`). What is the ROI in "
        "percent against the whole cost ledger?",
        "costs = data.costs\ncosts.head()",
        "compute ROI % = (revenue − total cost) × 100 / total cost. Staff lines have hours × rate "
        "instead of an amount — `rk.cost_ledger(costs).total` adds them up for you.",
        "cost = rk.cost_ledger(costs).total\nanswer = (WORKSHOP_REVENUE - cost) * 100 / cost",
        "check_roi",
    ),
    "02_engagement_rate": (
        2, "Engagement rate, named",
        "what is the engagement rate **by impressions** of all LinkedIn posts taken together?",
        "posts = data.posts\nlinkedin = posts[posts[\"platform\"] == \"linkedin\"]\n"
        "linkedin[[\"likes\", \"comments\", \"shares\", \"saves\", \"impressions\"]].sum()",
        "engagements are likes + comments + shares + saves (clicks are reported separately); "
        "pool the sums over the posts and divide by the total impressions. Give a share "
        "(0.05 for 5%).",
        "parts = [\"likes\", \"comments\", \"shares\", \"saves\"]\n"
        "answer = linkedin[parts].sum().sum() / linkedin[\"impressions\"].sum()",
        "check_engagement_rate",
    ),
    "03_landmark_followers": (
        3, "Who is a follower? (immortal time)",
        "how many customers count as followers when status is fixed at day 90 after "
        "acquisition and only customers still active then are compared?",
        "segments = rk.define_followers(data.customers, data.social_audience)\nprint(segments.summary())",
        "use `segments.labels(data.customers)` (one row per customer active at day 90, column "
        "`group`) and count the followers. Then compare with `kind=\"ever\"`: why is it larger?",
        "labels = segments.labels(data.customers)\nanswer = (labels[\"group\"] == \"followers\").sum()",
        "check_landmark_followers",
    ),
    "04_attribution": (
        4, "What did social earn? (attribution)",
        "which share of conversions does **last-touch** attribution credit to social "
        "(Organic Social + Paid Social)?",
        "touchpoints = data.touchpoints\ntouchpoints.head()",
        "run `rk.attribute(touchpoints, model=\"last\")` and add the `share` of the two social "
        "channel groups. Give a share (0.12 for 12%), then try `model=\"markov\"`.",
        "credit = rk.attribute(touchpoints, model=\"last\").to_frame()\n"
        "social = credit[credit[\"channel\"].isin([\"Organic Social\", \"Paid Social\"])]\n"
        "answer = social[\"share\"].sum()",
        "check_social_share",
    ),
    "05_direct_indirect_roi": (
        5, "Direct + indirect ROI",
        "attribution credits social with USD 300,000 of sales; the follower comparison values "
        "followers at USD 250,000; answering on social saved USD 40,000 of contact-centre cost "
        "(`WORKSHOP_COMPONENTS`). What is the ROI of the **direct** revenue alone, in percent, "
        "against the whole cost ledger?",
        "costs = data.costs\nWORKSHOP_COMPONENTS",
        "pass `revenue=WORKSHOP_COMPONENTS` and `cost=costs` to `rk.roi` and read "
        "`.direct.roi_pct`. Then print `.summary()`: which components can count the same money "
        "twice, and why is the total ROI an upper bound?",
        "r = rk.roi(revenue=WORKSHOP_COMPONENTS, cost=costs)\nprint(r.summary())\n"
        "answer = r.direct.roi_pct",
        "check_direct_roi",
    ),
}


def workshop_notebooks() -> dict[str, list[Cell]]:
    """workshop/<name>.ipynb (exercises) and workshop/solutions/<name>.ipynb."""
    out: dict[str, list[Cell]] = {
        "workshop/00_workshop_guide": [
            ("md", "# Workshop guide (2–3 hours)\n\n**Question:** how do we turn social media "
                   "activity into money a CFO can check? Five exercises, each with a built-in "
                   "answer check:\n\n"
                   "1. [ROI by hand](01_roi_by_hand.ipynb) — the seed formula (20 min)\n"
                   "2. [Engagement rate, named](02_engagement_rate.ipynb) — three definitions, "
                   "one answer (20 min)\n"
                   "3. [Who is a follower?](03_landmark_followers.ipynb) — immortal-time bias "
                   "(40 min)\n"
                   "4. [What did social earn?](04_attribution.ipynb) — attribution models "
                   "(40 min)\n"
                   "5. [Direct + indirect ROI](05_direct_indirect_roi.ipynb) — one statement, "
                   "double counting named (20 min)\n\n"
                   "Open them in JupyterLab, replace each `...`, run the check. Solutions are in "
                   "`solutions/` (not listed in the Voila apps); the apps (`01_...` to `06_...`) "
                   "are the tools the exercises explain."),
            ("md", "Run this cell to make sure everything works: it loads the sample data."),
            ("code", "import roi_kit as rk\n\nrk.datasets.load_sample(\"saas\").tables().keys()"),
        ],
    }
    for name, spec in WORKSHOP_DEFS.items():
        exercise, solution = _exercise(*spec)
        out[f"workshop/{name}"] = exercise
        out[f"workshop/solutions/{name}"] = solution
    return out


def to_notebook(cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, source) in enumerate(cells):
        cell = (nbformat.v4.new_markdown_cell(source) if kind == "md"
                else nbformat.v4.new_code_cell(source))
        cell["id"] = f"cell-{i}"
        nb.cells.append(cell)
    return nb


def all_notebooks() -> dict[Path, nbformat.NotebookNode]:
    """Relative path under notebooks/ → notebook."""
    out = {Path(f"{name}.ipynb"): to_notebook(cells) for name, cells in APPS.items()}
    for rel, cells in workshop_notebooks().items():
        out[Path(f"{rel}.ipynb")] = to_notebook(cells)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for rel, nb in all_notebooks().items():
        path = NOTEBOOKS / rel
        text = nbformat.writes(nb) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(str(rel))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("would write: " if args.check else "wrote: ") + (", ".join(stale) or "nothing"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
