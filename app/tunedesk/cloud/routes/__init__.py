"""The two training routes behind one interface (:class:`TrainingRoute`)."""

from tunedesk.cloud.routes.base import (
    BaseModelInfo,
    BaseModelList,
    ChatClient,
    Checkpoint,
    Deployment,
    Hyperparameters,
    JobEvent,
    JobRef,
    JobRequest,
    JobState,
    JobStatus,
    MetricPoint,
    TrainingRoute,
    UploadedData,
)

__all__ = [
    "BaseModelInfo",
    "BaseModelList",
    "ChatClient",
    "Checkpoint",
    "Deployment",
    "Hyperparameters",
    "JobEvent",
    "JobRef",
    "JobRequest",
    "JobState",
    "JobStatus",
    "MetricPoint",
    "TrainingRoute",
    "UploadedData",
]
