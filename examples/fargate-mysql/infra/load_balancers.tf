# The public ALB ends browsers' TLS and routes by host to deck and gate (the listener rules are
# the module's); the NLB passes gate's x509 port through as TCP, so gate sees the client
# certificate (a TLS listener would end the handshake and strip it).

resource "aws_lb" "public" {
  name               = "spinnaker-public"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.public.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

resource "aws_lb" "x509" {
  name               = "spinnaker-x509"
  load_balancer_type = "network"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_listener" "x509" {
  load_balancer_arn = aws_lb.x509.arn
  port              = 8085
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = module.spinnaker.target_group_arns["gate.x509.8085"]
  }
}
