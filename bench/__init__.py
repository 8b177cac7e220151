"""Benchmarks for issue 8 ("Hold a flood of reports"), run as `make bench` or
`python -m bench --help`: one module per benchmark (intake, burst, worker), each driving the
app from outside (gunicorn, `rongrian worker`, the Twilio stand-in) and printing its figures
beside a baseline of the same run; the last line, SUMMARY, holds them all."""
