# The root module of the reference deployment: it owns the network, the cluster, the load
# balancers, Aurora MySQL and ElastiCache, and calls the module spinconf renders into
# ../out/terraform for everything Spinnaker's services need (task definitions, services, Cloud
# Map names, target groups and listener rules, roles, log group).
#
#   spinconf render ..            # writes ../out (Spring files, images' contexts, terraform/)
#   terraform -chdir=infra init && terraform -chdir=infra plan

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate of spinnaker.example.com and spinnaker-api.example.com (the public ALB's HTTPS listener)"
}

resource "aws_ecs_cluster" "spinnaker" {
  name = "spinnaker"
}

module "spinnaker" {
  source             = "../out/terraform"
  vpc_id             = aws_vpc.main.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.services.id]
  cluster_arn        = aws_ecs_cluster.spinnaker.arn
  # the public ALB's HTTPS listener gets one host rule each for deck and gate
  listener_arns = { public = aws_lb_listener.https.arn }
}

output "images" {
  description = "where make push puts each service's image, and its tag"
  value       = module.spinnaker.images
}

output "service_arns" {
  value = module.spinnaker.service_arns
}
