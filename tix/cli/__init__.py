"""The `tix` command line: parse, call one service, render. Heavy imports stay inside the
commands so that `tix --help` answers at once."""
