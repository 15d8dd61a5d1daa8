"""One module per subcommand; see llm_policy.cli for how they are registered."""
