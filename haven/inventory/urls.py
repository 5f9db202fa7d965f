from django.urls import path

from haven.inventory import views

urlpatterns = [
    path("", views.stock, name="stock"),
    path("ledger/", views.stock_ledger, name="stock-ledger"),
    path("receive/", views.stock_receive, name="stock-receive"),
    path("transfer/", views.stock_transfer, name="stock-transfer"),
    path("adjust/", views.stock_adjust, name="stock-adjust"),
    path("dispose/", views.stock_dispose, name="stock-dispose"),
    path("shortfalls/", views.stock_shortfalls, name="stock-shortfalls"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/items/new/", views.catalog_item_new, name="catalog-item-new"),
    path("catalog/items/<int:item_id>/", views.catalog_item_edit, name="catalog-item-edit"),
    path("catalog/kits/new/", views.catalog_kit_new, name="catalog-kit-new"),
    path("catalog/kits/<int:kit_id>/", views.catalog_kit_edit, name="catalog-kit-edit"),
]
