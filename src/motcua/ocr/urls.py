from django.urls import path

from . import api

urlpatterns = [
    path("attachments/<int:attachment_id>/", api.AttachmentOcr.as_view(), name="ocr-attachment"),
    path("jobs/", api.Jobs.as_view(), name="ocr-jobs"),
    path("jobs/<int:job_id>/", api.Job.as_view(), name="ocr-job"),
    path("jobs/<int:job_id>/pdf/", api.JobPdf.as_view(), name="ocr-job-pdf"),
    path("jobs/<int:job_id>/password/", api.JobPassword.as_view(), name="ocr-job-password"),
]
