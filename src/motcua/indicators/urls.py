"""API routes, mounted at /api/v1/indicators/."""
from django.urls import path

from . import api

urlpatterns = [
    path("report/", api.Report.as_view()),
    path("export/", api.Export.as_view()),
    path("dvcqg-2026/", api.Dvcqg2026.as_view()),
    path("trend/", api.Trend.as_view()),
    path("dossiers/", api.Dossiers.as_view()),
    path("public/", api.Public.as_view()),
    path("targets/", api.Targets.as_view()),
    path("plans/", api.Plans.as_view()),
    path("plans/<int:plan_id>/tasks/", api.PlanTasks.as_view()),
    path("tasks/<int:task_id>/complete/", api.TaskDone.as_view()),
    path("inspections/", api.Inspections.as_view()),
    path("inspections/<int:inspection_id>/findings/", api.InspectionFindings.as_view()),
    path("findings/<int:finding_id>/resolve/", api.FindingResolve.as_view()),
]
