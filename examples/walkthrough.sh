#!/usr/bin/env sh
# The walk-through, automated: analyze -> convert -> run -> split -> run -> verify both.
# Usage: sh examples/walkthrough.sh [NOTEBOOK] [CELLS] [OUT]
set -eu
notebook=${1:-examples/nyc_taxi/notebook.ipynb}
cells=${2:-prep=1,transform=22,train=28,predict=34,score=36}
out=${3:-out/$(basename "$(dirname "$notebook")")}

# analyze exits 1 when it finds errors (the NYC notebook calls the removed DataFrame.append,
# which convert fixes safely): that is a report, not a failure of the walk-through.
nb2aml analyze "$notebook" || [ $? -eq 1 ]
nb2aml convert "$notebook" -o "$out/job" --yes --force
nb2aml run "$out/job"
nb2aml split "$notebook" --cells "$cells" -o "$out/pipeline" --yes --force
nb2aml run "$out/pipeline"
nb2aml verify "$notebook" "$out/job"
nb2aml verify "$notebook" "$out/pipeline"
