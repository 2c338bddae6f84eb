# One Aurora MySQL cluster per service that keeps its state in SQL (the jdbcUrls in
# ../overlays/services/*.yml name their endpoints). The admin password stays in Secrets Manager;
# each service's own user and password (the SSM parameters in ../overlays/secrets.yml) are
# created in the database by the operator.

locals {
  databases = toset(["clouddriver", "echo", "front50", "orca"])
}

resource "aws_db_subnet_group" "spinnaker" {
  name       = "spinnaker"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "db" {
  name   = "spinnaker-db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.services.id]
  }
}

resource "aws_rds_cluster" "db" {
  for_each                    = local.databases
  cluster_identifier          = each.key
  engine                      = "aurora-mysql"
  database_name               = each.key
  master_username             = "admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.spinnaker.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  storage_encrypted           = true
  skip_final_snapshot         = false
  final_snapshot_identifier   = "${each.key}-final"
}

resource "aws_rds_cluster_instance" "db" {
  for_each           = local.databases
  identifier         = "${each.key}-1"
  cluster_identifier = aws_rds_cluster.db[each.key].id
  engine             = "aurora-mysql"
  instance_class     = "db.r6g.large"
}
