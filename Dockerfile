# Microsoft's Adaptive Cards renderer for Try the bot and the entry preview (package.json), from npm.
FROM node:20-slim AS browser-packages
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=browser-packages /app/node_modules ./node_modules
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
# Runs as a user without privileges; it writes only to /tmp.
RUN useradd --create-home --uid 10001 wxbind
USER wxbind
EXPOSE 8000
# gunicorn.conf.py: workers, threads, warm-up before the first request.
CMD ["gunicorn", "supportbot.wsgi"]
