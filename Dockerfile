# The HLT web app: Python 3.12 with the system libraries and fonts WeasyPrint needs,
# dependencies installed from uv.lock.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"

RUN apt-get update && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-noto-core fonts-noto-ui-core fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN DEBUG=1 python manage.py compilemessages -v0 --ignore=.venv \
    && DEBUG=1 python manage.py collectstatic --noinput -v0

RUN useradd --create-home hlt && mkdir -p /app/var/uploads && chown -R hlt /app/var
USER hlt
EXPOSE 8000
# Workers, timeout, preloading and the access log: gunicorn.conf.py (WEB_CONCURRENCY sets the
# number of workers; by default two per core, plus one).
CMD ["gunicorn", "hlt.wsgi", "--bind", "0.0.0.0:8000"]
