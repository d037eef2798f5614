CREATE EXTERNAL TABLE IF NOT EXISTS `amazon_security_lake_glue_db_us_east_1`.`amazon_security_lake_table_us_east_1_sh_findings_2_0` (
  `class_uid` int,
  `activity_id` int,
  `status_id` int,
  `status` string,
  `comment` string,
  `severity` string,
  `time` bigint,
  `time_dt` timestamp,
  `finding_info` struct<uid:string,title:string,created_time:bigint,first_seen_time:bigint,last_seen_time:bigint,modified_time:bigint>,
  `compliance` struct<control:string,status:string,status_id:int,requirements:array<string>,standards:array<string>>,
  `cloud` struct<account:struct<uid:string,name:string>,region:string,provider:string>,
  `resources` array<struct<uid:string,uid_alt:string,type:string,region:string>>
)
STORED AS PARQUET
LOCATION 's3://REPLACE-WITH-SECURITY-LAKE-BUCKET/aws/SH_FINDINGS/2.0/'
