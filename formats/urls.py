app_name = "formats"

urlpatterns = []
