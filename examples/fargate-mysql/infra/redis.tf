# ElastiCache for gate and igor (rosco shares igor's). ElastiCache refuses CONFIG, so gate must
# not send CONFIG SET notify-keyspace-events itself; the parameter group sets what gate's
# sessions need instead (gxE, as Spinnaker's docs say for managed redis).

resource "aws_elasticache_subnet_group" "spinnaker" {
  name       = "spinnaker"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "redis" {
  name   = "spinnaker-redis"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [aws_security_group.services.id]
  }
}

resource "aws_elasticache_parameter_group" "spinnaker" {
  name   = "spinnaker-redis7"
  family = "redis7"
  parameter {
    name  = "notify-keyspace-events"
    value = "gxE"
  }
}

resource "aws_elasticache_replication_group" "redis" {
  for_each             = toset(["gate", "igor"])
  replication_group_id = each.key
  description          = "spinnaker ${each.key}"
  engine               = "redis"
  node_type            = "cache.t4g.small"
  num_cache_clusters   = 1
  parameter_group_name = aws_elasticache_parameter_group.spinnaker.name
  subnet_group_name    = aws_elasticache_subnet_group.spinnaker.name
  security_group_ids   = [aws_security_group.redis.id]
}
