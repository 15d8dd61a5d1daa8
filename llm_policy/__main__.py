from llm_policy.cli import main

raise SystemExit(main())
