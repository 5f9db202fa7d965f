from django.utils.functional import SimpleLazyObject

from haven.branding.queries import current_program


def program(request):
    """`program` (name, short name, logo URL, colours) and `program_name`, which templates have used
    from the start, on every page. Lazy: a page that shows neither asks nothing."""
    brand = SimpleLazyObject(current_program)
    return {"program": brand, "program_name": SimpleLazyObject(lambda: brand.name)}
