"""Each dialect's `\\help` pages: `common` (a `HelpBook` and how a topic finds its page),
`maxcompute` and `snowflake` (the pages). Which book `\\help` reads is the session's
`ShellDialect`'s choice (shell/dialect.py)."""
