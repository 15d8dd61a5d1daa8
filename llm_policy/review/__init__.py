"""Pull-request review: what a change does to the sourcing decision and to the findings.

`git` reads revisions, `sides` turns a revision, the working tree or a path into manifest files,
`sourcing` compares two manifests in reviewer's terms, `delta` matches findings by fingerprint,
`baseline` marks a `check` report against an earlier one, `render` writes text/JSON/Markdown.
"""
