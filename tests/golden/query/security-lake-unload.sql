UNLOAD (
  SELECT
    class_uid,
    activity_id,
    status_id,
    status,
    comment,
    severity,
    time,
    CAST(
      ROW(finding_info.uid, finding_info.title, finding_info.created_time, finding_info.first_seen_time, finding_info.last_seen_time, finding_info.modified_time)
      AS ROW(uid varchar, title varchar, created_time bigint, first_seen_time bigint, last_seen_time bigint, modified_time bigint)
    ) AS finding_info,
    compliance,
    cloud,
    resources
  FROM "amazon_security_lake_glue_db_us_east_1"."amazon_security_lake_table_us_east_1_sh_findings_2_0"
  WHERE compliance.control = 'ECS.16'
    AND time_dt >= TIMESTAMP '2026-07-01 00:00:00'
    AND time_dt < TIMESTAMP '2026-10-01 00:00:00'
)
TO 's3://ecs16-results/security-lake/2026-q3/'
WITH (format = 'JSON', compression = 'GZIP')
