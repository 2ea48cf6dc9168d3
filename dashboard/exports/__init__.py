"""Every output format of the dashboard side by side: CSV, chart images, the HTML review pack, the slide deck.

`context` says what an export shows (company, range, filters by name, data as of); `csv`, `images`,
`pack` and `deck` write one format each; `review` builds the whole dashboard's charts for a pack or a deck.
"""
