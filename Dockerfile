FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY crawler ./crawler
COPY scheduler ./scheduler
COPY demo ./demo
COPY scrapy.cfg ./
RUN pip install --no-cache-dir . && useradd --create-home rasid && mkdir -p /data && chown rasid /data
USER rasid
ENV RASID_CONFIG=/config/rasid.yaml
VOLUME ["/data"]
ENTRYPOINT ["rasid"]
CMD ["run"]
