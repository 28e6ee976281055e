# Production image: gunicorn, Celery worker and beat all run from it (docker-compose.yml).

# Front-end assets from npm, exactly as ./xf setup copies them; Node stays out of the image.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && mkdir -p vendor/bootstrap vendor/echarts \
 && cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js vendor/bootstrap/ \
 && cp node_modules/echarts/dist/echarts.min.js vendor/echarts/

FROM python:3.11-slim-bookworm
# DEBUG off, so SECRET_KEY must come from the environment (settings refuse to start
# without it). STATIC_ROOT lies outside the /srv/xinfang volume, so a new image's static
# files are not hidden by an older copy kept in the volume.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false \
    XINFANG_VAR_DIR=/srv/xinfang STATIC_ROOT=/app/staticfiles
# What WeasyPrint needs at run time on Debian (Pango, HarfBuzz with its subsetter), and
# the CJK fonts the documents are set in.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The production lock, hash-checked; nothing is resolved at build time.
COPY requirements/production.txt requirements/production.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/production.txt
COPY . .
COPY --from=assets /assets/vendor static/vendor
RUN SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --create-home xinfang && mkdir -p /srv/xinfang && chown -R xinfang /srv/xinfang
USER xinfang
EXPOSE 8000
