UNLOAD (
  SELECT line
  FROM (
    SELECT
      line,
      COALESCE(
        json_extract_scalar(line, '$.detail.findings[0].Compliance.SecurityControlId'),
        NULLIF(regexp_extract(json_extract_scalar(line, '$.detail.findings[0].GeneratorId'), '/([^/]+)$', 1), ''),
        json_extract_scalar(line, '$.detail.findings[0].ProductFields.ControlId'),
        json_extract_scalar(line, '$.detail.findings[0].compliance.control'),
        json_extract_scalar(line, '$.Compliance.SecurityControlId'),
        NULLIF(regexp_extract(json_extract_scalar(line, '$.GeneratorId'), '/([^/]+)$', 1), ''),
        json_extract_scalar(line, '$.ProductFields.ControlId'),
        json_extract_scalar(line, '$.compliance.control')
      ) AS control_id,
      COALESCE(
        try(from_iso8601_timestamp(json_extract_scalar(line, '$.time'))),
        try(from_iso8601_timestamp(json_extract_scalar(line, '$.ProcessedAt'))),
        try(from_iso8601_timestamp(json_extract_scalar(line, '$.time_dt')))
      ) AS stamped_at
    FROM "security"."findings_raw"
    WHERE dt BETWEEN '2026/06/30/23' AND '2026/10/01/23'
  )
  WHERE control_id = 'ECS.16'
    AND stamped_at >= from_iso8601_timestamp('2026-07-01T00:00:00Z')
    AND stamped_at < from_iso8601_timestamp('2026-10-01T00:00:00Z')
)
TO 's3://ecs16-results/firehose/2026-q3/'
WITH (format = 'TEXTFILE', compression = 'GZIP')
