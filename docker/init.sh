#!/bin/sh
# One-shot release step, run by the `init` service before web, worker and beat start:
# report deployment problems, apply migrations, collect static files into the shared volume.
set -eu

python manage.py check --deploy
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 1
