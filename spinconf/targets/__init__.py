"""Deployment targets: container build contexts (docker) and ECS Fargate definitions (ecs)."""
