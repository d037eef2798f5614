SELECT accountId, awsRegion, arn, resourceId, resourceType, configurationItemCaptureTime, configurationItemStatus, configuration WHERE resourceType IN ('AWS::ECS::TaskSet', 'AWS::ECS::Service')
