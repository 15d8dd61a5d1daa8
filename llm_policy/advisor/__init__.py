"""The sourcing advisor behind `llm-policy recommend` and `llm-policy init`.

Before a team has a manifest it has to decide where its models come from. The advisor asks the
decision tree's questions (data and compliance, team and budget, quality, traffic), recommends
sectors and a hybrid pattern with a reason for every answer, and renders the result as a
manifest that passes `llm-policy check`. The tree and the concrete choices are data
(`decision_tree.json`, `choices.json`); the modules here only read and apply them:

- `tree`: load the data, match `when` conditions;
- `answers`: flags / answers file / defaults -> validated answers;
- `prompts`: the interactive questions on a terminal;
- `decide`: answers -> `Recommendation`;
- `render`: the recommendation as text; `manifest`: as a commented llm-sourcing.yaml;
- `cli`: the argparse options and the answer gathering both commands share.
"""
