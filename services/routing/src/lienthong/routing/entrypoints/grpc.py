"""gRPC servicer of routing."""

from __future__ import annotations

import grpc

from lienthong.api.routing.v1 import routing_pb2, routing_pb2_grpc
from lienthong.routing.service.use_cases import Routing, delivery_message


class RoutingServicer(routing_pb2_grpc.RoutingServiceServicer):
    def __init__(self, routing: Routing):
        self._routing = routing

    def ListDeliveries(self, request: routing_pb2.ListDeliveriesRequest,
                       context: grpc.ServicerContext) -> routing_pb2.ListDeliveriesResponse:
        views = self._routing.document_deliveries(None, request.document_id)
        return routing_pb2.ListDeliveriesResponse(deliveries=[delivery_message(v.delivery) for v in views])

    def CheckRecipient(self, request: routing_pb2.CheckRecipientRequest,
                       context: grpc.ServicerContext) -> routing_pb2.CheckRecipientResponse:
        return routing_pb2.CheckRecipientResponse(
            received_by=self._routing.received_by(request.document_id, list(request.agency_codes)))
