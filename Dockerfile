# mailbot worker image: slim Python, non-root, `mailbot run`.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mailbot ./mailbot
COPY templates ./templates
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 MAILBOT_DATA_DIR=/data
RUN useradd --system --uid 10001 --home-dir /data --create-home mailbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER mailbot
WORKDIR /data
VOLUME ["/data"]
HEALTHCHECK --interval=5m --timeout=60s CMD ["mailbot", "check"]
ENTRYPOINT ["mailbot"]
CMD ["run"]
