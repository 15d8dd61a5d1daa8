"""Run the pipeline over many files: find them (`discovery`), read the project configuration
(`config`), check each one (`runner.Checker`: load -> validate -> evaluate) and, for many files,
in worker processes (`batch`, which also holds `check_files`, the one entry for a whole run).

Nothing is imported here, so `llm_policy.run.discovery` stays as cheap as it was.
"""
