#!/usr/bin/env python3
"""Writes tests/fixtures/network/: one folder per reachability scenario, every file in the exact shape the
AWS CLI prints (`--output json`: PascalCase keys for EC2 and ELBv2, camelCase for ECS, four-space indent).

Every scenario is synthetic. The shapes follow the published examples in tests/fixtures/published/ (see
tests/fixtures/network/README.md for which example each shape was modelled on). Each folder holds the
outputs a `scripts/collect-inventory.sh --network` run would write for one account and region
(111122223333, eu-west-1), named as that script names them, plus the task set's `describe-task-sets` dump.
The unit tests in src/analysis/reach/tests.rs read them. Re-running writes the same bytes.
"""
import copy
import json
import os
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "network")
ACCT, REGION = "111122223333", "eu-west-1"
VPC, OTHER_VPC = "vpc-0a1b2c3d4e5f60001", "vpc-0a1b2c3d4e5f60099"
IGW, NAT, EIGW = "igw-0a1b2c3d4e5f60001", "nat-0a1b2c3d4e5f60001", "eigw-0a1b2c3d4e5f60001"
PUBLIC, PRIVATE, PUBLIC_B = "subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012", "subnet-0a1b2c3d4e5f60013"
RTB_PUBLIC, RTB_PRIVATE, RTB_MAIN = "rtb-0a1b2c3d4e5f60021", "rtb-0a1b2c3d4e5f60022", "rtb-0a1b2c3d4e5f60020"
ACL = "acl-0a1b2c3d4e5f60031"
SG_TASK, SG_ALB = "sg-0a1b2c3d4e5f60041", "sg-0a1b2c3d4e5f60042"
PL = "pl-0a1b2c3d4e5f60051"
LB_NAME = "card-api-public"
LB_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:loadbalancer/app/{LB_NAME}/5d2c3b4a59687766"
TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/card-api-blue/6e5d4c3b2a190817"
V6_BLOCK = "2a05:d018:1c2:4a00::/56"
V6_SUBNET = "2a05:d018:1c2:4a01::/64"


# ---------------------------------------------------------------- EC2 (shapes: awscli-describe-*.json)

def subnet(sid, cidr, az="eu-west-1a", v6=None, map_public=False):
    s = {
        "AvailabilityZone": az,
        "AvailabilityZoneId": "euw1-az1" if az.endswith("a") else "euw1-az2",
        "AvailableIpAddressCount": 251,
        "CidrBlock": cidr,
        "DefaultForAz": False,
        "MapPublicIpOnLaunch": map_public,
        "MapCustomerOwnedIpOnLaunch": False,
        "State": "available",
        "SubnetId": sid,
        "VpcId": VPC,
        "OwnerId": ACCT,
        "AssignIpv6AddressOnCreation": v6 is not None,
        "Ipv6CidrBlockAssociationSet": [],
        "Tags": [{"Key": "Name", "Value": sid}],
        "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCT}:subnet/{sid}",
        "EnableDns64": False,
        "Ipv6Native": cidr is None,
        "PrivateDnsNameOptionsOnLaunch": {
            "HostnameType": "ip-name" if cidr else "resource-name",
            "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": cidr is None,
        },
    }
    if cidr is None:
        del s["CidrBlock"]
        del s["AvailableIpAddressCount"]
    if v6:
        s["Ipv6CidrBlockAssociationSet"] = [{
            "AssociationId": "subnet-cidr-assoc-0a1b2c3d4e5f60061",
            "Ipv6CidrBlock": v6,
            "Ipv6CidrBlockState": {"State": "associated"},
        }]
    return s


def assoc(rtb, n, subnet_id=None, main=False):
    a = {"Main": main, "RouteTableAssociationId": f"rtbassoc-0a1b2c3d4e5f6007{n}", "RouteTableId": rtb}
    if subnet_id:
        a["SubnetId"] = subnet_id
    a["AssociationState"] = {"State": "associated"}
    return a


def route(dest, target_key, target, state="active"):
    r = {"DestinationIpv6CidrBlock" if ":" in dest else "DestinationCidrBlock": dest, target_key: target,
         "Origin": "CreateRoute", "State": state}
    return r


LOCAL = {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}
LOCAL6 = {"DestinationIpv6CidrBlock": V6_BLOCK, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}
TO_IGW = route("0.0.0.0/0", "GatewayId", IGW)
TO_IGW6 = route("::/0", "GatewayId", IGW)
TO_NAT = route("0.0.0.0/0", "NatGatewayId", NAT)
TO_EIGW6 = route("::/0", "EgressOnlyInternetGatewayId", EIGW)


def route_table(rtb, associations, routes, vpc=VPC):
    return {"Associations": associations, "PropagatingVgws": [], "RouteTableId": rtb, "Routes": routes,
            "Tags": [], "VpcId": vpc, "OwnerId": ACCT}


def permission(proto, port=None, v4=(), v6=(), pls=(), groups=()):
    p = {}
    if port is not None:
        p["FromPort"] = port
    p["IpProtocol"] = proto
    p["IpRanges"] = [{"CidrIp": c, "Description": "from anywhere" if c == "0.0.0.0/0" else "office"} for c in v4]
    p["Ipv6Ranges"] = [{"CidrIpv6": c} for c in v6]
    p["PrefixListIds"] = [{"PrefixListId": pl} for pl in pls]
    if port is not None:
        p["ToPort"] = port
    p["UserIdGroupPairs"] = [{"GroupId": g, "UserId": ACCT} for g in groups]
    return p


EGRESS_ALL = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
              "UserIdGroupPairs": []}


def group(gid, name, ingress):
    return {"Description": f"{name} security group", "GroupName": name, "IpPermissions": ingress,
            "OwnerId": ACCT, "GroupId": gid, "IpPermissionsEgress": [EGRESS_ALL], "Tags": [], "VpcId": VPC}


def entry(n, egress, action, cidr="0.0.0.0/0", proto="-1", ports=None):
    e = {"CidrBlock" if "." in cidr else "Ipv6CidrBlock": cidr, "Egress": egress, "Protocol": proto}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    e["RuleAction"] = action
    e["RuleNumber"] = n
    return e


def default_entries(inbound=None, outbound=None):
    """The default ACL's entries: allow all (100 IPv4, 101 IPv6) then the final denies, unless replaced."""
    inbound = inbound if inbound is not None else [entry(100, False, "allow"), entry(101, False, "allow", "::/0")]
    outbound = outbound if outbound is not None else [entry(100, True, "allow"), entry(101, True, "allow", "::/0")]
    tail = [entry(32767, True, "deny"), entry(32768, True, "deny", "::/0"),
            entry(32767, False, "deny"), entry(32768, False, "deny", "::/0")]
    return outbound + inbound + tail


def network_acl(subnets, entries=None):
    return {
        "Associations": [{"NetworkAclAssociationId": f"aclassoc-0a1b2c3d4e5f6008{i}", "NetworkAclId": ACL,
                          "SubnetId": s} for i, s in enumerate(subnets)],
        "Entries": entries or default_entries(),
        "IsDefault": True,
        "NetworkAclId": ACL,
        "Tags": [],
        "VpcId": VPC,
        "OwnerId": ACCT,
    }


def prefix_list():
    return {"PrefixListId": PL, "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": f"arn:aws:ec2:{REGION}:{ACCT}:prefix-list/{PL}", "PrefixListName": "partner-edges",
            "MaxEntries": 10, "Version": 2, "Tags": [], "OwnerId": ACCT}


# ---------------------------------------------------------------- ELBv2 (shapes: elbv2/awscli-*.json)

def load_balancer(scheme="internet-facing"):
    return {"Type": "application", "Scheme": scheme, "IpAddressType": "ipv4", "VpcId": VPC,
            "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": PUBLIC},
                                  {"ZoneName": "eu-west-1b", "SubnetId": PUBLIC_B}],
            "CreatedTime": "2026-06-02T09:14:03.512Z", "CanonicalHostedZoneId": "Z32O12XQLNTSW2",
            "DNSName": f"{LB_NAME}-1234567890.{REGION}.elb.amazonaws.com", "SecurityGroups": [SG_ALB],
            "LoadBalancerName": LB_NAME, "State": {"Code": "active"}, "LoadBalancerArn": LB_ARN}


def target_group():
    return {"TargetGroupArn": TG_ARN, "TargetGroupName": "card-api-blue", "Protocol": "HTTP", "Port": 8080,
            "VpcId": VPC, "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
            "HealthCheckEnabled": True, "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5,
            "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2, "HealthCheckPath": "/health",
            "Matcher": {"HttpCode": "200"}, "LoadBalancerArns": [LB_ARN], "TargetType": "ip",
            "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"}


def listener(port, proto, suffix):
    l = {"Port": port, "Protocol": proto,
         "DefaultActions": [{"TargetGroupArn": TG_ARN, "Type": "forward"}]}
    if proto == "HTTPS":
        l["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06"
        l["Certificates"] = [{"CertificateArn": f"arn:aws:acm:{REGION}:{ACCT}:certificate/0a1b2c3d-1111-2222-3333-444455556666"}]
    l["LoadBalancerArn"] = LB_ARN
    l["ListenerArn"] = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/{LB_NAME}/5d2c3b4a59687766/{suffix}"
    return l


# ---------------------------------------------------------------- ECS (shape: ecs-cli/awscli-describe-task-sets.json, CLI v2)

def task_set(subnets, assign, groups=(SG_TASK,), lbs=()):
    return {"taskSets": [{
        "id": "ecs-svc/4412958315731023871",
        "taskSetArn": f"arn:aws:ecs:{REGION}:{ACCT}:task-set/payments/card-api/ecs-svc/4412958315731023871",
        "serviceArn": f"arn:aws:ecs:{REGION}:{ACCT}:service/payments/card-api",
        "clusterArn": f"arn:aws:ecs:{REGION}:{ACCT}:cluster/payments",
        "externalId": "blue-2026-09",
        "status": "PRIMARY",
        "taskDefinition": f"arn:aws:ecs:{REGION}:{ACCT}:task-definition/card-api:42",
        "computedDesiredCount": 2,
        "pendingCount": 0,
        "runningCount": 2,
        "createdAt": "2026-09-01T10:12:44.318000+02:00",
        "updatedAt": "2026-09-01T10:15:02.907000+02:00",
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "platformFamily": "Linux",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": list(subnets), "securityGroups": list(groups), "assignPublicIp": assign}},
        "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "card-api", "containerPort": 8080}
                          for _ in lbs],
        "serviceRegistries": [],
        "scale": {"value": 100.0, "unit": "PERCENT"},
        "stabilityStatus": "STEADY_STATE",
        "stabilityStatusAt": "2026-09-01T10:19:31.004000+02:00",
        "tags": [],
    }], "failures": []}


# ---------------------------------------------------------------- scenarios

def base():
    """A VPC with a public subnet (own table to the internet gateway), a private one (own table to a NAT
    gateway), the default ACL that allows everything, and a task group admitting tcp/443 from anywhere."""
    return {
        "ec2/describe-subnets.json": {"Subnets": [subnet(PUBLIC, "10.0.1.0/24", map_public=True),
                                                  subnet(PRIVATE, "10.0.2.0/24", az="eu-west-1b")]},
        "ec2/describe-route-tables.json": {"RouteTables": [
            route_table(RTB_MAIN, [assoc(RTB_MAIN, 0, main=True)], [LOCAL]),
            route_table(RTB_PUBLIC, [assoc(RTB_PUBLIC, 1, PUBLIC)], [LOCAL, TO_IGW]),
            route_table(RTB_PRIVATE, [assoc(RTB_PRIVATE, 2, PRIVATE)], [LOCAL, TO_NAT]),
        ]},
        "ec2/describe-security-groups.json": {"SecurityGroups": [
            group(SG_TASK, "card-api-tasks", [permission("tcp", 443, v4=["0.0.0.0/0"])])]},
        "ec2/describe-network-acls.json": {"NetworkAcls": [network_acl([PUBLIC, PRIVATE])]},
        "ecs/payments/card-api/describe-task-sets.json": task_set([PUBLIC], "ENABLED"),
    }


def with_alb(files, scheme="internet-facing"):
    files["ec2/describe-security-groups.json"]["SecurityGroups"] = [
        group(SG_TASK, "card-api-tasks", [permission("tcp", 8080, groups=[SG_ALB])]),
        group(SG_ALB, "card-api-alb", [permission("tcp", 443, v4=["0.0.0.0/0"]),
                                       permission("tcp", 80, v4=["0.0.0.0/0"])]),
    ]
    files["elbv2/describe-load-balancers.json"] = {"LoadBalancers": [load_balancer(scheme)]}
    files["elbv2/describe-target-groups.json"] = {"TargetGroups": [target_group()]}
    files[f"elbv2/describe-listeners-{LB_NAME}.json"] = {"Listeners": [
        listener(443, "HTTPS", "0467ef3c8400ae65"), listener(80, "HTTP", "f2f7dc8efc522ab2")]}
    files["ecs/payments/card-api/describe-task-sets.json"] = task_set([PRIVATE], "DISABLED", lbs=[TG_ARN])
    return files


def scenarios():
    s = {}

    f = base()
    f["ec2/describe-subnets.json"]["Subnets"] = [subnet(PUBLIC, None, v6=V6_SUBNET)]
    f["ec2/describe-route-tables.json"]["RouteTables"][1] = route_table(
        RTB_PUBLIC, [assoc(RTB_PUBLIC, 1, PUBLIC)], [LOCAL, LOCAL6, TO_IGW6])
    f["ec2/describe-security-groups.json"]["SecurityGroups"] = [
        group(SG_TASK, "card-api-tasks", [permission("tcp", 443, v6=["::/0"])])]
    f["ecs/payments/card-api/describe-task-sets.json"] = task_set([PUBLIC], "DISABLED")
    s["ipv6-only-public"] = f

    for name, entries in [("prefix-list-entries-given", ["0.0.0.0/0"]),
                          ("prefix-list-entries-not-given", None),
                          ("prefix-list-without-the-internet", ["198.51.100.0/24", "203.0.113.0/24"])]:
        f = base()
        f["ec2/describe-security-groups.json"]["SecurityGroups"] = [
            group(SG_TASK, "card-api-tasks", [permission("tcp", 443, pls=[PL])])]
        f["ec2/describe-managed-prefix-lists.json"] = {"PrefixLists": [prefix_list()]}
        if entries is not None:
            f[f"ec2/get-managed-prefix-list-entries-{PL}.json"] = {
                "Entries": [{"Cidr": c, "Description": "edge"} for c in entries]}
        s[name] = f

    f = base()
    f["ec2/describe-security-groups.json"]["SecurityGroups"] = [group(SG_TASK, "card-api-tasks", [
        permission("tcp", 22, v4=["0.0.0.0/0"]), permission("tcp", 443, v4=["0.0.0.0/0"])])]
    f["ec2/describe-network-acls.json"]["NetworkAcls"] = [network_acl([PUBLIC, PRIVATE], default_entries(
        inbound=[entry(90, False, "deny", proto="6", ports=(22, 22)), entry(100, False, "allow"),
                 entry(101, False, "allow", "::/0")]))]
    s["nacl-deny-before-allow"] = f

    f = base()
    f["ec2/describe-network-acls.json"]["NetworkAcls"] = [network_acl([PUBLIC, PRIVATE], default_entries(
        inbound=[entry(50, False, "deny"), entry(100, False, "allow")]))]
    s["nacl-denies-everything"] = f

    f = base()
    f["ec2/describe-network-acls.json"]["NetworkAcls"] = [network_acl([PUBLIC, PRIVATE], default_entries(
        outbound=[entry(100, True, "allow", proto="6", ports=(443, 443))]))]
    s["nacl-blocks-replies"] = f

    f = base()
    f["ec2/describe-route-tables.json"]["RouteTables"] = [
        route_table(RTB_MAIN, [assoc(RTB_MAIN, 0, main=True)], [LOCAL, TO_IGW]),
        route_table(RTB_PRIVATE, [assoc(RTB_PRIVATE, 2, PRIVATE)], [LOCAL, TO_NAT]),
    ]
    s["main-table-fallback"] = f

    f = base()
    f["ecs/payments/card-api/describe-task-sets.json"] = task_set([PRIVATE, PUBLIC], "ENABLED")
    s["two-subnets-one-public"] = f

    s["alb-in-front-of-private-task-set"] = with_alb(base())
    s["internal-alb-private-task-set"] = with_alb(base(), scheme="internal")

    f = base()
    f["ecs/payments/card-api/describe-task-sets.json"] = task_set([PRIVATE], "ENABLED")
    s["public-ip-no-route-nat-only"] = f

    f = base()
    f["ec2/describe-security-groups.json"]["SecurityGroups"] = [
        group(SG_TASK, "card-api-tasks", [permission("tcp", 8080, groups=[SG_ALB])])]
    s["public-ip-filtered-group-source-only"] = f

    f = base()
    f["ecs/payments/card-api/describe-task-sets.json"] = task_set([PRIVATE], "DISABLED")
    s["private"] = f

    f = base()
    f["ec2/describe-subnets.json"]["Subnets"] = [subnet(PRIVATE, "10.0.2.0/24", az="eu-west-1b")]
    s["missing-subnet"] = f

    f = base()
    del f["ec2/describe-security-groups.json"]
    s["missing-security-groups"] = f

    f = base()
    f["ec2/describe-route-tables.json"]["RouteTables"][1] = route_table(
        RTB_PUBLIC, [assoc(RTB_PUBLIC, 1, PUBLIC)], [LOCAL, TO_IGW], vpc=OTHER_VPC)
    s["route-table-of-another-vpc"] = f
    return s


def main():
    if os.path.isdir(ROOT):
        for name in os.listdir(ROOT):
            path = os.path.join(ROOT, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
    for name, files in sorted(scenarios().items()):
        for rel, value in sorted(files.items()):
            path = os.path.join(ROOT, name, ACCT, REGION, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                out.write(json.dumps(copy.deepcopy(value), indent=4, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
